/** Spawns the built `otc-jobs` binary (`node bin/otc-jobs.js`) the way a user or a CI job would. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";

export const ROOT = resolve(__dirname, "../..");
export const BIN = join(ROOT, "bin", "otc-jobs.js");
export const RECORD_MODULES = join(__dirname, "fixtures", "record-modules.js");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
    throw new Error("dist/cli/main.js is missing: run `npm run build` first (npm test does)");
  }
}

/**
 * The child's environment: the parent's minus every variable that configures the CLI or its
 * colours (OS_*, HW_*, OTCJOBS_*, NO_COLOR, FORCE_COLOR, COLUMNS, TERM), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(OS_|HW_|OTCJOBS_)/.test(k) || ["NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM", "NODE_OPTIONS"].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Options for node itself, before the script (e.g. --require). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

export function run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
      env: opts.env ?? cleanEnv(),
      cwd: opts.cwd ?? ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Env pointing the CLI at a running emulator. */
export function emulatorEnv(e: { gateway: string; token: string; projectId: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({ OTCJOBS_ENDPOINT: e.gateway, OS_AUTH_TOKEN: e.token, OS_PROJECT_ID: e.projectId, ...extra });
}

/** A small RFC 4180 reader for checking `--output csv`. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (ch !== "\r") {
      cell += ch;
    }
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export const sorted = (ids: Iterable<string>): string[] => [...ids].sort();

/**
 * Runs the CLI's `main` in this process with captured output: the same parsing and commands as the
 * binary without a node start-up, for the many variations of a behaviour the spawned tests cover once.
 */
export async function invoke(args: string[], env: NodeJS.ProcessEnv, opts: { tty?: boolean; columns?: number } = {}): Promise<RunResult> {
  const { main } = await import("../../cli/main");
  const started = Date.now();
  const capture = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return { stream: Object.assign(stream, { isTTY: opts.tty ?? false, columns: opts.columns }), text: () => chunks.join("") };
  };
  const out = capture();
  const err = capture();
  const code = await main(args, { stdout: out.stream, stderr: err.stream, env });
  return { code, signal: null, stdout: out.text(), stderr: err.text(), ms: Date.now() - started };
}

/** The escape character that starts ANSI colour codes and cursor moves. */
export const ESC = String.fromCharCode(27);
export const stripAnsi = (s: string): string => s.replace(new RegExp(`${ESC}\\[[0-9;]*m`, "g"), "");
