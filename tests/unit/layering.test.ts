/**
 * The layers read top-down (as zod's no-circular-imports test keeps them): no import cycles; the core
 * (`provider/`, outside the Pulumi adapters) imports nothing from `sdk/`, `cli/` or `@pulumi/*`; the
 * transport sits below the credentials; the CLI reaches the core through its index or the
 * dependency-free modules; and loading the CLI entry loads no `@pulumi/pulumi`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { execFileSync } from "node:child_process";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "../..");
const SOURCE_DIRS = ["provider", "sdk", "cli", "emulator", "plugin"];
/** Modules of the core that know Pulumi's shapes (they may import @pulumi/* but nothing of sdk/ or cli/). */
const PULUMI_ADAPTERS = [/^provider\/dynamic\//];

function sourceFiles(dir: string): string[] {
  let abs: string;
  try {
    abs = join(ROOT, dir);
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => join(dir, f).split("\\").join("/"));
}

/** `from` → the repo-relative file it imports, or the bare package name. Type-only imports included. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
  return info.importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith(".")) return fileName;
    const base = relative(ROOT, resolve(ROOT, dirname(file), fileName)).split("\\").join("/");
    for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
      try {
        if (statSync(join(ROOT, candidate)).isFile()) return candidate;
      } catch {
        // try the next form
      }
    }
    return base;
  });
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
/** Core modules the CLI may load at start: they import no package. */
const DEPENDENCY_FREE = ["provider/errors.ts", "provider/text.ts", "provider/time.ts", "provider/jobs.ts", "provider/records.ts", "provider/wait/defaults.ts"];
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe("layering", () => {
  it("has no import cycles", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (f: string) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...stack.slice(stack.indexOf(f)), f].join(" → "));
        return;
      }
      state.set(f, "open");
      stack.push(f);
      for (const dep of graph.get(f) ?? []) if (graph.has(dep)) visit(dep);
      stack.pop();
      state.set(f, "done");
    };
    for (const f of files) visit(f);
    expect(cycles).toEqual([]);
  });

  it("the core imports nothing from sdk/, cli/ or @pulumi/*", () => {
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      if (!file.startsWith("provider/")) continue;
      const adapter = PULUMI_ADAPTERS.some((re) => re.test(file));
      for (const dep of deps) {
        if (dep.startsWith("sdk/") || dep.startsWith("cli/") || dep.startsWith("plugin/")) bad.push(`${file} → ${dep}`);
        if (!adapter && dep.startsWith("@pulumi/")) bad.push(`${file} → ${dep}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("the transport sits below the credentials: provider/http imports nothing of provider/auth", () => {
    const bad = [...graph].filter(([f]) => f.startsWith("provider/http/")).flatMap(([f, deps]) => deps.filter((d) => d.startsWith("provider/auth/")).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it("the CLI reaches the core only through its index or the dependency-free modules", () => {
    const allowed = new Set(["provider/index.ts", ...DEPENDENCY_FREE]);
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      if (!file.startsWith("cli/")) continue;
      for (const dep of deps) if (dep.startsWith("provider/") && !allowed.has(dep)) bad.push(`${file} → ${dep}`);
    }
    expect(bad).toEqual([]);
  });

  it("the dependency-free modules the CLI loads at start import no package", () => {
    for (const f of DEPENDENCY_FREE) {
      const external = (graph.get(f) ?? []).filter((d) => !d.startsWith("provider/") && !d.startsWith("node:"));
      expect({ f, external }).toEqual({ f, external: [] });
    }
  });

  it("loading the CLI entry and running a command loads no @pulumi/pulumi", () => {
    // The built CLI, as users run it: list the modules Node loaded after `--help` of a command.
    const script = `require(${JSON.stringify(join(ROOT, "dist/cli/main.js"))}).main(["wait", "--help"], { stdout: { write() {} }, stderr: { write() {} }, env: {} })
      .then(() => process.stdout.write(JSON.stringify(Object.keys(require.cache))))`;
    const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as string[];
    expect(loaded.some((m) => m.includes("cli"))).toBe(true);
    expect(loaded.filter((m) => m.includes("@pulumi"))).toEqual([]);
  });
});

test("the pool's undici Agent, loaded from undici's own file, is the class undici exports", () => {
  // provider/http/pool.ts loads `undici/lib/dispatcher/agent` to avoid loading all of undici; an
  // undici that moves that file or adds an `exports` map must fail here, not in a user's listing.
  expect(require("undici/lib/dispatcher/agent")).toBe(require("undici").Agent);
});
