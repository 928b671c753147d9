/**
 * `otc-jobs wait <ddm|dds|drs> <job-id...>`: a deployment gate on the core's waiter (the same verdicts
 * as `JobGate`). This module keeps only what is the CLI's own: parsing `--until`, progress lines,
 * and exit codes — 0 all done, 1 one failed or was canceled, 2 --timeout passed, 3 bad usage or an id
 * unknown after --grace, 4 the API kept failing, 5 credentials rejected, 130/143 interrupted.
 *
 * Target (`--until`):
 *   finished (default)  succeeded, failed or canceled; exit 0 only if every job succeeded
 *   a phase             pending | running | waiting | succeeded | failed | canceled: reached when the
 *                       job is in that phase; a job that succeeded has passed any intermediate phase
 *   an API status       exact, e.g. ToBeSwitched (DDM) or INCRE_TRANSFER_STARTED (a DRS sync's
 *                       steady state, which never "finishes"); same rule for a job that succeeded
 */
import { createColors } from "picocolors";
import {
  type Client,
  type DbUseType,
  formatDuration,
  isFinished,
  JobsFailedError,
  type JobRecord,
  KNOWN_STATUSES,
  MIN_POLL_INTERVAL_MS,
  PHASES,
  type Phase,
  type PollState,
  SUCCEEDED,
  waitForJobs,
  WaitTimeoutError,
  type WaitTarget,
  AbortedError,
  checkWaitOptions,
  InvalidArgumentError,
  isJobId,
} from "../../provider";
import { type Io, openClient } from "../context";
import { resolveIds } from "../ids";
import { EXIT, type ExitCode, UsageError } from "../exit";
import type { GlobalOptions, Service } from "../options";
import { WAIT_DEFAULTS } from "../options";
import { colorsFor, type Colors, outputWidth, paintPhase, safeText, SHORT_ID_LENGTH } from "../output";

export interface WaitFlags {
  until?: string;
  /** Milliseconds. */
  timeout: number;
  interval: number;
  grace: number;
  /** Milliseconds between "still waiting" lines when stdout is not a terminal; 0 turns them off. */
  heartbeat?: number;
  dbUseType?: DbUseType;
}

/** A target as the core takes it, and as the user named it. */
export interface CliTarget {
  target: WaitTarget;
  label: string;
}

const TARGET_PHASES = PHASES.filter((p) => p !== "unknown");

export function parseTarget(service: Service, until: string = WAIT_DEFAULTS.until): CliTarget {
  if (until === "finished") return { target: SUCCEEDED, label: "finished" };
  if ((TARGET_PHASES as readonly string[]).includes(until)) return { target: { phases: [until as Phase] }, label: until };
  if (KNOWN_STATUSES[service].includes(until)) return { target: { statuses: [until] }, label: until };
  throw new UsageError(
    "--until",
    `"${until}" is neither a phase (finished, ${TARGET_PHASES.join(", ")}) nor a ${service.toUpperCase()} status ` +
      `(${KNOWN_STATUSES[service].join(", ")})`,
  );
}

/** Progress: one line per change on a pipe (plus a heartbeat), one line rewritten in place on a terminal. */
class Progress {
  private readonly tty: boolean;
  private timer?: NodeJS.Timeout;
  private frame = 0;
  private stopped = false;
  private lastLineAt = Date.now();

  constructor(
    private readonly io: Io,
    private readonly colors: Colors,
    private readonly started: number,
    private readonly render: () => string,
    heartbeatMs: number,
  ) {
    this.tty = Boolean(io.stdout.isTTY);
    if (this.tty) {
      this.timer = setInterval(() => this.redraw(), 250);
    } else if (heartbeatMs > 0) {
      // CI watchdogs kill jobs that print nothing for a while: say we are alive.
      this.timer = setInterval(() => {
        if (Date.now() - this.lastLineAt >= heartbeatMs) this.change(`still waiting: ${this.render()}`);
      }, Math.min(heartbeatMs, 1_000));
    }
    this.timer?.unref();
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)}s`;
  }

  /** A permanent line (a change on a pipe; notes and results everywhere). */
  line(text: string): void {
    if (this.tty) this.io.stdout.write("\r\x1b[2K");
    this.io.stdout.write(`${text}\n`);
    this.lastLineAt = Date.now();
    if (this.tty) this.redraw();
  }

  /** A job changed: a line on a pipe, a redraw on a terminal. */
  change(text: string): void {
    if (this.tty) return this.redraw();
    this.io.stdout.write(`[+${this.elapsed()}] ${text}\n`);
    this.lastLineAt = Date.now();
  }

  redraw(): void {
    if (!this.tty || this.stopped) return;
    const spinner = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"[this.frame++ % 10];
    const width = outputWidth(this.io) - 1;
    const text = `${spinner} ${this.elapsed()} ${this.render()}`;
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.io.stdout.write(`\r\x1b[2K${this.colors.dim(line)}`);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.tty) this.io.stdout.write("\r\x1b[2K");
  }
}

/** A job on one line; server text without control characters. */
function jobLine(job: JobRecord, colors: Colors, shortId = false): string {
  const id = shortId ? job.id.slice(0, SHORT_ID_LENGTH) : job.id;
  const progress = job.progress && !isFinished(job.phase) ? ` ${job.progress}` : "";
  return `${job.service} ${safeText(id)} ${safeText(job.status)}${safeText(progress)} (${paintPhase(colors, job.phase)})`;
}

/** Ctrl-C or SIGTERM: what was last seen on stderr, and the documented exit code. */
function interrupted(io: Io, signal: AbortSignal, seen: string[]): ExitCode {
  io.stderr.write(`otc-jobs: interrupted by ${String(signal.reason)}${seen.length ? `; last seen: ${seen.join(", ")}` : ""}\n`);
  return signal.reason === "SIGTERM" ? EXIT.sigterm : EXIT.sigint;
}

/** The waiter's options of the CLI's flags. */
function waitOptionsOf(flags: WaitFlags): { maxWaitMs: number; maxDelayMs: number; minDelayMs: number; graceMs: number } {
  return { maxWaitMs: flags.timeout, maxDelayMs: flags.interval, minDelayMs: Math.min(flags.interval, MIN_POLL_INTERVAL_MS), graceMs: flags.grace };
}

const FLAG_OF_WAIT_OPTION: Record<string, string> = { maxWaitMs: "--timeout", maxDelayMs: "--interval", minDelayMs: "--interval", graceMs: "--grace" };

export async function runWait(io: Io, globals: GlobalOptions, service: Service, ids: string[], flags: WaitFlags): Promise<ExitCode> {
  const target = parseTarget(service, flags.until);
  if (flags.dbUseType && service !== "drs") throw new UsageError("--db-use-type", "applies to drs only");
  if (flags.interval < MIN_POLL_INTERVAL_MS) throw new UsageError("--interval", `must be at least ${formatDuration(MIN_POLL_INTERVAL_MS)}: many gates poll the same API`);
  // Every limit of the waiter, checked before the first request and named by its flag.
  try {
    checkWaitOptions(waitOptionsOf(flags));
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new UsageError(FLAG_OF_WAIT_OPTION[e.argument] ?? e.argument, e.detail);
    throw e;
  }
  const unique = [...new Set(ids)];
  const bad = unique.find((id) => !isJobId(id));
  if (bad !== undefined) throw new UsageError("<job-id>", `"${bad}" is not a job id (letters, digits and dashes, at most 64)`);
  const { client } = await openClient(globals, io);
  // Ctrl-C or a CI runner's SIGTERM: stop polling, say what was last seen, exit 130/143.
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => interrupt.abort(signal);
  // Only a real process: tests drive many waits in one process through fake streams.
  const signals: NodeJS.Signals[] = io.stdout === process.stdout ? ["SIGINT", "SIGTERM"] : [];
  for (const s of signals) process.once(s, onSignal);
  try {
    let full: string[];
    try {
      full = await resolveIds(client, service, unique, interrupt.signal);
    } catch (e) {
      if (interrupt.signal.aborted) return interrupted(io, interrupt.signal, []);
      throw e;
    }
    return await waitFor(io, client, service, full, target, flags, interrupt.signal);
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
    await client.close();
  }
}

/** The wait, on an open client (tests drive it with a fake terminal). */
export async function waitFor(
  io: Io,
  client: Client,
  service: Service,
  ids: string[],
  { target, label }: CliTarget,
  flags: WaitFlags,
  signal?: AbortSignal,
): Promise<ExitCode> {
  const colors = colorsFor(io);
  const started = Date.now();
  const svc = service.toUpperCase();
  const plain = createColors(false);
  let last: PollState | undefined;
  const heartbeat = flags.heartbeat ?? (io.stdout.isTTY ? 0 : 60_000);
  const progress = new Progress(
    io,
    colors,
    started,
    () => {
      if (!last) return `0/${ids.length} ${label}`;
      const done = [...last.verdicts.values()].filter((v) => v === "done").length;
      const rest = [...last.pending.map((j) => jobLine(j, plain, true)), ...last.missing.map((id) => `${service} ${id.slice(0, 8)} not visible yet`)];
      return [`${done}/${ids.length} ${label}`, ...rest].join(" · ");
    },
    heartbeat,
  );
  const count = `${ids.length} ${svc} ${ids.length === 1 ? "job" : "jobs"}`;
  progress.line(`waiting for ${count} (until ${label}; timeout ${formatDuration(flags.timeout)}, polling every ${formatDuration(flags.interval)})`);
  const shown = new Map<string, string>();
  try {
    await waitForJobs(client, { service, ids, dbUseType: flags.dbUseType }, target, {
      ...waitOptionsOf(flags),
      signal,
      onPoll: (state) => {
        last = state;
        if (state.error) return progress.line(`${svc}: ${state.error.message}; trying again`);
        const lines = new Map<string, string>();
        for (const job of state.jobs) lines.set(job.id, jobLine(job, colors));
        for (const id of state.missing) lines.set(id, `${service} ${id} not visible yet; trying for up to ${formatDuration(flags.grace)}`);
        for (const [id, text] of lines) {
          if (shown.get(id) === text) continue;
          shown.set(id, text);
          progress.change(text);
        }
      },
    });
    progress.stop();
    const elapsed = `${((Date.now() - started) / 1000).toFixed(1)}s`;
    io.stdout.write(`done: ${count} ${label === "finished" ? "finished" : `reached ${label}`} after ${elapsed}\n`);
    return EXIT.ok;
  } catch (e) {
    progress.stop();
    if (e instanceof JobsFailedError) {
      for (const job of e.failed as JobRecord[]) {
        const reason = job.failReason ? `: ${safeText(job.failReason)}` : "";
        const short = label === "finished" ? "" : ` without reaching ${label}`;
        io.stdout.write(`failed: ${service} ${safeText(job.id)} ended ${safeText(job.status)} (${paintPhase(colors, job.phase)})${short}${reason}\n`);
      }
      const open = last?.pending ?? [];
      if (open.length) io.stdout.write(`not waiting for the rest: ${open.map((j) => jobLine(j, colors)).join(", ")}\n`);
      return EXIT.failed;
    }
    if (e instanceof WaitTimeoutError) {
      const open = [...(e.pending as JobRecord[]).map((j) => jobLine(j, colors)), ...e.missing.map((id) => `${service} ${id} not found`)];
      io.stdout.write(`timeout: after ${formatDuration(flags.timeout)}, ${open.length} of ${ids.length} not ${label}: ${open.join(", ")}\n`);
      for (const hint of e.hints) io.stdout.write(`hint: ${safeText(hint)}\n`);
      return EXIT.timeout;
    }
    if (e instanceof AbortedError && signal?.aborted) {
      return interrupted(io, signal, last ? [...last.jobs.map((j) => jobLine(j, colors)), ...last.missing.map((id) => `${service} ${id} not visible yet`)] : []);
    }
    throw e;
  } finally {
    progress.stop();
  }
}
