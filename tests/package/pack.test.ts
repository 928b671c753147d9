/**
 * What `npm pack` would publish: runtime files only (no bench, examples, demo, tests, sources or
 * source maps), a LICENSE that matches package.json, every entry point and every relative require
 * of a shipped file present, and README links that work on the registry page.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { promisify } from "node:util";
import { assertBuilt, ROOT } from "../cli/helpers";

interface PackEntry {
  path: string;
  size: number;
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  license: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  repository?: unknown;
};

let files: PackEntry[];
let paths: Set<string>;

beforeAll(async () => {
  assertBuilt();
  // --ignore-scripts: `prepare` would rebuild dist/ under the feet of the other test files.
  const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    maxBuffer: 16 << 20,
    env: { ...process.env, npm_config_loglevel: "error" },
  });
  files = (JSON.parse(stdout) as Array<{ files: PackEntry[] }>)[0]!.files;
  paths = new Set(files.map((f) => f.path));
}, 60_000);

const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^bin\/[^/]+$/, /^(cli|emulator)\/README\.md$/, /^dist\/(provider|sdk|cli|emulator|plugin)\/.+\.(js|d\.ts|json)$/, /^dist\/cli\/otc-jobs\.cache$/];

describe("npm pack", () => {
  it("ships runtime files only", () => {
    const stray = files.map((f) => f.path).filter((p) => !ALLOWED.some((re) => re.test(p)));
    expect(stray).toEqual([]);
    for (const p of paths) {
      expect(p).not.toMatch(/\.map$/);
      expect(p).not.toMatch(/^dist\/(bench|examples|tests)\//);
      expect(p).not.toMatch(/^dist\/cli\/demo\./);
      expect(p).not.toMatch(/(^|\/)[^/]+(?<!\.d)\.ts$/);
    }
    // The runtime itself is there.
    for (const p of ["dist/provider/index.js", "dist/provider/index.d.ts", "dist/sdk/index.js", "dist/cli/main.js", "dist/emulator/index.js", "dist/emulator/main.js", "dist/emulator/daemon.js"]) {
      expect(paths).toContain(p);
    }
  });

  it("has an Apache-2.0 LICENSE, as package.json says", () => {
    expect(pkg.license).toBe("Apache-2.0");
    expect(paths).toContain("LICENSE");
    const text = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain("END OF TERMS AND CONDITIONS");
    expect(text).not.toMatch(/\[yyyy\]|\{yyyy\}/);
  });

  it("ships every entry point: main, types, exports, bin", () => {
    const exportTargets = Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e)));
    const targets = [pkg.main, pkg.types, ...exportTargets, ...Object.values(pkg.bin)].map((t) => normalize(t));
    for (const t of targets) expect(paths).toContain(t);
  });

  it("ships every module a shipped file requires (relative requires and type imports)", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const p of paths) {
      if (!/\.(js|d\.ts)$/.test(p)) continue;
      const text = readFileSync(join(ROOT, p), "utf8");
      const specs = p.endsWith(".d.ts")
        ? [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!)
        : [...text.matchAll(/require\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)].map((m) => m[1]!);
      for (const spec of specs) {
        checked++;
        const base = normalize(join(dirname(p), spec));
        const candidates = p.endsWith(".d.ts")
          ? [`${base}.d.ts`, join(base, "index.d.ts"), base.replace(/\.js$/, ".d.ts")]
          : [base, `${base}.js`, `${base}.json`, join(base, "index.js")];
        // bin/otc-jobs.js reaches dist/ through path.join, checked by the entry-point test.
        if (!candidates.some((c) => paths.has(c))) missing.push(`${p} -> ${spec}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  // The published build emits no source maps (tsconfig.build.json): a `sourceMappingURL` comment
  // would point at a file the tarball does not hold.
  it("ships no source map reference to a file it does not ship", () => {
    const dangling: string[] = [];
    for (const p of paths) {
      if (!p.endsWith(".js")) continue;
      const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(ROOT, p), "utf8"))?.[1];
      if (ref && !ref.startsWith("data:") && !paths.has(normalize(join(dirname(p), ref)))) dangling.push(p);
    }
    expect(dangling).toEqual([]);
  });
});

describe("README on the registry page", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const links = [...readme.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => ({ image: m[1] === "!", target: m[2]! }));

  /** GitHub's (and npm's) heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  const anchors = new Set(
    [...readme.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, "")
        .replace(/ /g, "-"),
    ),
  );

  it("links only to headings here or to absolute URLs (npm cannot resolve a relative link without a repository)", () => {
    expect(links.length).toBeGreaterThan(0);
    for (const { image, target } of links) {
      if (target.startsWith("#")) expect(anchors).toContain(target.slice(1));
      // An image path is allowed: it shows in the repository, and on the registry once package.json names one.
      else expect(target).toMatch(image ? /^(https:\/\/|docs\/)/ : /^https:\/\//);
    }
  });

  it("shows images that exist in the repository", () => {
    const images = links.filter((l) => l.image && !/^https?:/.test(l.target));
    expect(images.map((i) => i.target)).toEqual(["docs/report.png"]);
    for (const { target } of images) {
      const png = readFileSync(join(ROOT, target));
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    }
  });
});
