/**
 * The README, literally: its shell blocks run in bash from the repository root with a clean
 * environment (the built CLI through `npx otc-jobs`, the emulator started by the block itself), and
 * its TypeScript blocks are compiled in a fresh CommonJS project that has the package installed the
 * way npm installs it (exports map, dist only), then run against the emulator.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { emulatorEnv } from "../../emulator/env";
import { assertBuilt, cleanEnv, ROOT } from "../cli/helpers";
import { type CodeBlock, codeBlocks, isShell, isTypeScript } from "./blocks";
import { alive } from "../helpers/process";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const blocks = codeBlocks(README);
const where = (b: CodeBlock): string => `README.md:${b.line}`;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}


beforeAll(() => assertBuilt());

describe("README code blocks", () => {
  it("are each run, compiled, or skipped for a stated reason (few skipped)", () => {
    const code = blocks.filter((b) => isShell(b) || isTypeScript(b));
    expect(code.length).toBeGreaterThanOrEqual(5);
    for (const b of code) if (b.mode !== "run") expect({ at: where(b), reason: b.reason }).toEqual({ at: where(b), reason: expect.stringMatching(/\w{3,}/) });
    expect(code.filter((b) => b.mode === "skip").length).toBeLessThanOrEqual(2);
    expect(code.filter((b) => isShell(b) && b.mode === "run").length).toBeGreaterThanOrEqual(1);
    expect(code.filter((b) => isTypeScript(b) && b.mode === "run").length).toBeGreaterThanOrEqual(2);
    // Every shell command of the CLI's reference goes through npx: bare otc-jobs is not on a clone's PATH.
    for (const b of code.filter((x) => isShell(x) && x.mode === "run")) {
      for (const line of b.code.split("\n")) expect(line).not.toMatch(/^\s*otc-jobs\s/);
    }
  });

  // `npx otc-jobs` in the repository runs the bin package.json names (what the shim below stands
  // for). Not run through a real npx here: on a fresh clone under `npm test` it acts on the
  // repository itself while other test files use dist/ (seen as dist/cli/main.js missing in CI).
  it("package.json's bin otc-jobs is bin/otc-jobs.js, which runs the CLI", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(pkg.bin["otc-jobs"]).toBe("bin/otc-jobs.js");
    const direct = await exec(process.execPath, [join(ROOT, pkg.bin["otc-jobs"]!), "help"], { cwd: ROOT, env: cleanEnv(), timeoutMs: 20_000 });
    expect(direct.code).toBe(0);
    expect(direct.stdout).toContain("Usage: otc-jobs");
  });

  /**
   * A PATH entry whose `npx otc-jobs ...` execs `node bin/otc-jobs.js ...` directly: npx itself costs
   * seconds per call on a loaded machine, and the test above proves it resolves to the same file.
   */
  function npxShim(): string {
    const dir = mkdtempSync(join(tmpdir(), "readme-npx-"));
    const real = process.env.PATH?.split(":").map((p) => join(p, "npx")).find((p) => existsSync(p)) ?? "npx";
    writeFileSync(
      join(dir, "npx"),
      `#!/usr/bin/env bash
if [[ "\${1:-}" == "otc-jobs" ]]; then shift; exec "${process.execPath}" "${join(ROOT, "bin", "otc-jobs.js")}" "$@"; fi
exec "${real}" "$@"
`,
      { mode: 0o755 },
    );
    return dir;
  }

  const shellBlocks = blocks.filter((b) => isShell(b) && b.mode === "run");
  it.each(shellBlocks.map((b) => [where(b), b] as const))("shell block at %s runs as written in bash from the repository root", async (_at, block) => {
    const report = join(ROOT, "jobs-report.html");
    const hadReport = existsSync(report);
    // Harness only: stop on the first failing command, show it, and never leave the emulator running.
    const script = `set -euo pipefail\ntrap 'kill "\${OTCJOBS_EMULATOR_PID:-}" 2>/dev/null || true' EXIT\nset -x\n${block.code}echo "README-PID=\${OTCJOBS_EMULATOR_PID:-}"\n`;
    const shim = npxShim();
    const r = await exec("bash", ["-c", script], { cwd: ROOT, env: cleanEnv({ PATH: `${shim}:${process.env.PATH ?? ""}` }), timeoutMs: 150_000 });
    rmSync(shim, { recursive: true, force: true });
    try {
      expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" });
      if (block.code.includes("emulator --print-env")) {
        const pid = Number(/README-PID=(\d+)/.exec(r.stdout)?.[1]);
        expect(pid).toBeGreaterThan(0);
        // `kill "$OTCJOBS_EMULATOR_PID"` in the block stopped it (give it a moment to close its sockets).
        for (let i = 0; i < 50 && alive(pid); i++) await new Promise((res) => setTimeout(res, 100));
        expect(alive(pid)).toBe(false);
      }
      if (block.code.includes("> jobs-report.html")) expect(readFileSync(report, "utf8")).toMatch(/^<!DOCTYPE html>/);
      if (block.code.includes("get ddm 2c410c43")) expect(r.stdout).toContain("2c410c43-6035-4792-beca-275749898a32");
    } finally {
      if (!hadReport) rmSync(report, { force: true });
    }
  }, 180_000);

  describe("TypeScript blocks in a CommonJS project with the package installed", () => {
    let dir: string;
    let emu: RunningEmulator;
    const tsBlocks = blocks.filter((b) => isTypeScript(b) && b.mode !== "skip");

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "readme-ts-"));
      // What `npm install pulumi-otc-jobs` leaves: package.json and the shipped files; its dependencies resolve from the repository.
      const pkg = join(dir, "node_modules", "pulumi-otc-jobs");
      mkdirSync(pkg, { recursive: true });
      copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"));
      symlinkSync(join(ROOT, "dist"), join(pkg, "dist"), "dir");
      symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"), "dir");
      mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
      symlinkSync(join(ROOT, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"), "dir");
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme-snippets", private: true, version: "1.0.0" }));
      tsBlocks.forEach((b, i) => writeFileSync(join(dir, `block${i}.ts`), b.code));
      emu = await startEmulator({ seed: 1 });
    });
    afterAll(async () => {
      await emu?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    // `tsc --init`'s module setting in TypeScript 5.9 (a package.json without "type" makes the files CommonJS).
    const settings: Array<[string, ts.CompilerOptions]> = [
      ["module nodenext", { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }],
    ];

    function compile(moduleOptions: ts.CompilerOptions): string[] {
      const files = tsBlocks.map((_, i) => join(dir, `block${i}.ts`));
      const program = ts.createProgram(files, {
        ...moduleOptions,
        target: ts.ScriptTarget.ES2022,
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ["node"],
        outDir: join(dir, "out"),
        rootDir: dir,
      });
      const emitted = program.emit();
      const blockOf = (fileName: string): CodeBlock | undefined => tsBlocks[Number(/block(\d+)\.ts$/.exec(fileName)?.[1] ?? -1)];
      const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => {
        const block = d.file ? blockOf(d.file.fileName) : undefined;
        const at = block ? where(block) : (d.file?.fileName ?? "");
        return `${at}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
      return diagnostics;
    }

    it.each(settings)("compile without errors (%s, strict)", (_name, moduleOptions) => {
      expect(compile(moduleOptions)).toEqual([]);
      for (let i = 0; i < tsBlocks.length; i++) expect(existsSync(join(dir, "out", `block${i}.js`))).toBe(true);
    });

    // `module: commonjs` with node10 resolution ignores the exports map: "pulumi-otc-jobs/provider"
    // resolves through package.json's `typesVersions`.
    it("compile without errors (module commonjs, moduleResolution node10)", () => {
      expect(compile({ module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, noEmit: true })).toEqual([]);
    });

    it("run against the emulator (the environment --print-env exports)", async () => {
      const runnable = tsBlocks.map((b, i) => [b, i] as const).filter(([b]) => b.mode === "run");
      expect(runnable.length).toBeGreaterThanOrEqual(2);
      for (const [b, i] of runnable) {
        const r = await exec(process.execPath, [join(dir, "out", `block${i}.js`)], { cwd: dir, env: cleanEnv(emulatorEnv(emu)), timeoutMs: 60_000 });
        expect({ at: where(b), code: r.code, stderr: r.stderr }).toEqual({ at: where(b), code: 0, stderr: "" });
        expect(r.stdout.trim()).not.toBe("");
      }
    }, 120_000);
  });
});
