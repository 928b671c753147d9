/**
 * The real Pulumi CLI and engine, against the emulator: a private PULUMI_HOME and file backend, the
 * plugin installed from its release tarball as a user installs it, and every command run as a child
 * process (never synchronously: the emulator answers from this process's event loop).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";

export const ROOT = join(__dirname, "..", "..");
export const PROGRAMS = join(__dirname, "programs");
export const PULUMI_VERSION = readFileSync(join(ROOT, "toolchain", "pulumi", "VERSION"), "utf8").trim();
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end (or `timeoutMs`), collecting its output; never throws for a non-zero exit. */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; onStdout?: (chunk: string) => void } = {}): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      opts.onStdout?.(d);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 600_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The command's output, or an error with all of it when it exits non-zero. */
export async function ok(cmd: string, args: readonly string[], opts: Parameters<typeof run>[2] = {}): Promise<Ran> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

/** Builds (or finds cached) the toolchain of scripts/pulumi-toolchain.sh; returns its directory. */
export async function toolchain(): Promise<string> {
  const r = await ok("bash", [join(ROOT, "scripts", "pulumi-toolchain.sh")], { timeoutMs: 3_600_000 });
  return r.stdout.trim().split("\n").at(-1)!;
}

/** The plugin's release tarball, as `npm run test:engine` packed it (`plugin:pack`) before the suite. */
export function pluginTarball(): string {
  const { PACK_DIR, tarballName } = require(join(ROOT, "dist", "plugin", "pack.js")) as typeof import("../../plugin/pack");
  const tarball = join(PACK_DIR, tarballName());
  if (!existsSync(tarball)) throw new Error(`${tarball} is missing: run the suite with \`npm run test:engine\` (it packs the plugin first)`);
  return tarball;
}

export interface Pulumi {
  tools: string;
  home: string;
  backend: string;
  env: NodeJS.ProcessEnv;
  /** `pulumi <args>` in `cwd`. */
  cli(args: readonly string[], cwd: string, opts?: { timeoutMs?: number; onStdout?: (chunk: string) => void }): Promise<Ran>;
  remove(): void;
}

/**
 * A Pulumi installation of its own: the toolchain's binaries first on PATH, a private PULUMI_HOME with
 * the otcjobs plugin installed from its tarball, a file backend, a passphrase, no update check and no
 * plugin downloads. Nothing of the machine's own Pulumi or cloud settings leaks in.
 */
export async function pulumi(): Promise<Pulumi> {
  const tools = await toolchain();
  const base = mkdtempSync(join(tmpdir(), "otcjobs-engine-"));
  const home = join(base, "home");
  const backend = join(base, "state");
  mkdirSync(backend, { recursive: true });
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OS_|HW_|OTCJOBS_|PULUMI_|HUAWEICLOUD_)/.test(k)));
  const env: NodeJS.ProcessEnv = {
    ...clean,
    PATH: [join(tools, "bin"), dirname(process.execPath), process.env.PATH].join(":"),
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "engine-suite-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    // `--event-log` (the engine's events as JSON lines, as `--json` prints them) is behind this switch.
    PULUMI_DEBUG_COMMANDS: "true",
    // Clouds.yaml of the machine stays out.
    OS_CLIENT_CONFIG_FILE: join(base, "no-clouds.yaml"),
    NO_COLOR: "1",
  };
  const cli: Pulumi["cli"] = (args, cwd, opts = {}) => run(join(tools, "bin", "pulumi"), [...args, "--non-interactive"], { cwd, env, ...opts });
  const tarball = pluginTarball();
  await ok(join(tools, "bin", "pulumi"), ["plugin", "install", "resource", "otcjobs", PACKAGE_VERSION, "--file", tarball], { env });
  return { tools, home, backend, env, cli, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** The emulator, with the access key pair every program signs with. */
export async function emulator(): Promise<{ emu: RunningEmulator; accessKey: string; secretKey: string }> {
  const emu = await startEmulator({ seed: 20, jobs: { ddm: 60, dds: 60, drs: 60 } });
  const pair = emu.accessKeys[0]!;
  return { emu, accessKey: pair.accessKey, secretKey: pair.secretKey };
}

/** Requests the emulator saw, by route, since `before`. */
export function requestsSince(emu: RunningEmulator, before: Record<string, number>): Record<string, number> {
  const now = emu.admin.stats().requests.byRoute;
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
}

/** Resolves once `file` holds a line matching `pattern` (an event log written as the engine runs). */
export async function waitForLine(file: string, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    const line = text.split("\n").find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in ${file} within ${timeoutMs} ms:\n${text.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What a user sees of a command, for the log: the language, the command, its time and exit code. */
export function say(line: string): void {
  process.stderr.write(`[engine] ${line}\n`);
}

export { execFile };
