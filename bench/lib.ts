/** Small helpers shared by the benchmark driver and its child processes. */
import { type ChildProcess, fork } from "node:child_process";
import os from "node:os";
import path from "node:path";

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function ms(value: number): string {
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}

export function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/** CPU time (user + system, all threads) in microseconds since `since`. */
export function cpuMicros(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return d.user + d.system;
}

export function machine(): { cpus: string; node: string; os: string; memory: string } {
  const cpus = os.cpus();
  return {
    cpus: `${cpus.length} x ${cpus[0]?.model.trim() ?? "unknown"}`,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  };
}

/** Messages a child sends: one reply per request (matched by id), or an unsolicited event. */
export interface ChildMessage {
  id?: number;
  type: string;
  error?: string;
  [key: string]: unknown;
}

/**
 * A forked Node process (a compiled file next to this one) that talks over IPC. `request` sends a
 * command and resolves with the reply of the same id; `next(type)` waits for an event.
 */
export class Child {
  private seq = 0;
  private readonly waiting = new Map<number, (m: ChildMessage) => void>();
  private readonly events: ChildMessage[] = [];
  private readonly eventWaiters: Array<{ type: string; resolve: (m: ChildMessage) => void }> = [];
  private exitError?: Error;

  private constructor(readonly proc: ChildProcess) {
    proc.on("message", (raw) => {
      const m = raw as ChildMessage;
      if (m.id !== undefined && this.waiting.has(m.id)) {
        const resolve = this.waiting.get(m.id)!;
        this.waiting.delete(m.id);
        resolve(m);
        return;
      }
      const i = this.eventWaiters.findIndex((w) => w.type === m.type || m.type === "error");
      if (i >= 0) this.eventWaiters.splice(i, 1)[0]!.resolve(m);
      else this.events.push(m);
    });
    proc.on("exit", (code, signal) => {
      this.exitError = new Error(`child ${proc.spawnargs.slice(1).join(" ")} exited (${code ?? signal})`);
      const failed: ChildMessage = { type: "error", error: this.exitError.message };
      for (const resolve of this.waiting.values()) resolve(failed);
      this.waiting.clear();
      for (const w of this.eventWaiters.splice(0)) w.resolve(failed);
    });
  }

  /** Forks `dist/bench/<script>.js` with one JSON argument. */
  static start(script: string, config: unknown, execArgv: string[] = []): Child {
    const file = path.join(__dirname, `${script}.js`);
    return new Child(fork(file, [JSON.stringify(config)], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv }));
  }

  async next(type: string): Promise<ChildMessage> {
    const i = this.events.findIndex((m) => m.type === type || m.type === "error");
    const m =
      i >= 0
        ? this.events.splice(i, 1)[0]!
        : this.exitError
          ? { type: "error", error: this.exitError.message }
          : await new Promise<ChildMessage>((resolve) => this.eventWaiters.push({ type, resolve }));
    if (m.type === "error") throw new Error(m.error ?? "child failed");
    return m;
  }

  async request(type: string, body: Record<string, unknown> = {}): Promise<ChildMessage> {
    if (this.exitError) throw this.exitError;
    const id = ++this.seq;
    const reply = new Promise<ChildMessage>((resolve) => this.waiting.set(id, resolve));
    this.proc.send({ id, type, ...body });
    const m = await reply;
    if (m.type === "error") throw new Error(m.error ?? "child failed");
    return m;
  }

  /** The CPU time (µs) and the requests so far of a server child (one that answers `cpu`). */
  async cpu(): Promise<{ cpuUs: number; requests: number }> {
    const c = await this.request("cpu");
    return { cpuUs: c.cpuUs as number, requests: c.requests as number };
  }

  /** Ends the child: politely, then by signal if it lingers. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once("exit", () => resolve()));
    if (this.proc.connected) this.proc.send({ type: "close" });
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** In a child: the JSON config the parent passed. */
export function childConfig<T>(): T {
  return JSON.parse(process.argv[2] ?? "{}") as T;
}

/** In a child: sends a message to the parent (resolves once it is handed to the channel). */
export function toParent(m: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(m, undefined, {}, (err) => (err ? reject(err) : resolve())));
}

/** In a child: reports a failure to the parent and exits non-zero. */
export function failChild(err: unknown): void {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  toParent({ type: "error", error: message }).finally(() => process.exit(1));
}
