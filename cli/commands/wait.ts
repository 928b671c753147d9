/**
 * `otc-jobs wait <ddm|dds|drs> <job-id...>`: polls until every job reaches the target, for use as a
 * deployment gate. Exit 0 when all did, 1 as soon as one failed or was canceled (it can no longer
 * get there), 2 when --timeout passes first, 3 for bad usage or a job id the cloud does not know
 * (after --grace), 4 when the API keeps failing in a way retrying will not fix.
 *
 * Target (`--until`):
 *   finished (default)  succeeded, failed or canceled; exit 0 only if every job succeeded
 *   a phase             pending | running | waiting | succeeded | failed | canceled: reached when the
 *                       job is in that phase; a job that succeeded has passed any intermediate phase
 *   an API status       exact, e.g. ToBeSwitched (DDM) or INCRE_TRANSFER_STARTED (a DRS sync's
 *                       steady state, which never "finishes"); same rule for a job that succeeded
 * A job that ends failed or canceled short of the target fails the wait.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createColors } from "picocolors";
import {
  type Client,
  ConfigError,
  DB_USE_TYPES,
  type DbUseType,
  DeadlineExceededError,
  FINISHED_PHASES,
  InvalidArgumentError,
  isFinished,
  isJobNotFound,
  KNOWN_STATUSES,
  listDrsJobs,
  OtcApiError,
  PHASES,
  type Phase,
  phaseOf,
  formatDuration,
} from "../../provider";
import { jobIdArg } from "../../provider/services/filters";
import { type Io, openClient } from "../context";
import { EXIT, type ExitCode, JobNotFoundError, UsageError } from "../exit";
import { type CliJob, fromDrs } from "../jobs";
import { type GlobalOptions, type Service, WAIT_DEFAULTS } from "../options";
import { colorsFor, type Colors, outputWidth, paintPhase } from "../output";
import { addFailReasons, fetchJob } from "./get";

export interface WaitFlags {
  until?: string;
  /** Milliseconds. */
  timeout: number;
  interval: number;
  grace: number;
  dbUseType?: DbUseType;
}

export type Target = { kind: "finished" } | { kind: "phase"; phase: Phase } | { kind: "status"; status: string };

const TARGET_PHASES = PHASES.filter((p) => p !== "unknown");

export function parseTarget(service: Service, until: string = WAIT_DEFAULTS.until): Target {
  if (until === "finished") return { kind: "finished" };
  if ((TARGET_PHASES as readonly string[]).includes(until)) return { kind: "phase", phase: until as Phase };
  if (KNOWN_STATUSES[service].includes(until)) return { kind: "status", status: until };
  throw new UsageError(
    "--until",
    `"${until}" is neither a phase (finished, ${TARGET_PHASES.join(", ")}) nor a ${service.toUpperCase()} status ` +
      `(${KNOWN_STATUSES[service].join(", ")})`,
  );
}

export function describeTarget(t: Target): string {
  return t.kind === "finished" ? "finished" : t.kind === "phase" ? t.phase : t.status;
}

export type Verdict = "waiting" | "done" | "failed";

/** Where a job stands against the target. */
export function judge(service: Service, job: Pick<CliJob, "status" | "phase">, t: Target): Verdict {
  const { phase } = job;
  if (t.kind === "finished") return !isFinished(phase) ? "waiting" : phase === "succeeded" ? "done" : "failed";
  const reached = t.kind === "phase" ? phase === t.phase : job.status === t.status;
  if (reached) return "done";
  if (!isFinished(phase)) return "waiting";
  const targetPhase = t.kind === "phase" ? t.phase : phaseOf(service, t.status);
  // Succeeded after the target's (intermediate) phase or status: it went past it.
  return phase === "succeeded" && !FINISHED_PHASES.includes(targetPhase) ? "done" : "failed";
}

interface Tracked {
  id: string;
  job?: CliJob;
  verdict: Verdict;
  /** When the job was first not found (new-job lag); undefined once seen. */
  missingSince?: number;
  /** DRS: the db use type the job was found under. */
  dbUseType?: DbUseType;
}

class TimedOut extends Error {
  override name = "TimedOut";
}

/** Progress: one line per change on a pipe, one line rewritten in place on a terminal. */
class Progress {
  private readonly tty: boolean;
  private timer?: NodeJS.Timeout;
  private frame = 0;
  private stopped = false;

  constructor(
    private readonly io: Io,
    private readonly colors: Colors,
    private readonly started: number,
    private readonly render: () => string,
  ) {
    this.tty = Boolean(io.stdout.isTTY);
    if (this.tty) {
      this.timer = setInterval(() => this.redraw(), 250);
      this.timer.unref();
    }
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)}s`;
  }

  /** A permanent line (a change on a pipe; notes and results everywhere). */
  line(text: string): void {
    if (this.tty) this.io.stdout.write("\r\x1b[2K");
    this.io.stdout.write(`${text}\n`);
    if (this.tty) this.redraw();
  }

  /** A job changed: a line on a pipe, a redraw on a terminal. */
  change(text: string): void {
    if (this.tty) this.redraw();
    else this.io.stdout.write(`[+${this.elapsed()}] ${text}\n`);
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

function jobLine(service: Service, t: Tracked, colors: Colors, shortId = false): string {
  const id = shortId ? t.id.slice(0, 8) : t.id;
  if (!t.job) return `${service} ${id} ${t.missingSince === undefined ? "…" : "not visible yet"}`;
  const j = t.job;
  const progress = j.progress && !isFinished(j.phase) ? ` ${j.progress}` : "";
  return `${service} ${id} ${j.status}${progress} (${paintPhase(colors, j.phase)})`;
}

/** Reads the pending jobs once; sets `job` or `missingSince` on each. */
async function poll(client: Client, service: Service, pending: Tracked[], flags: WaitFlags, signal: AbortSignal, now: () => number): Promise<void> {
  if (service === "drs") {
    const ids = pending.map((t) => t.id);
    const known = new Set(pending.map((t) => t.dbUseType));
    const types: DbUseType[] = flags.dbUseType ? [flags.dbUseType] : known.has(undefined) ? [...DB_USE_TYPES] : ([...known] as DbUseType[]);
    const results = await Promise.all(types.map((dbUseType) => listDrsJobs(client, { dbUseType, id: ids, signal }).then((r) => ({ dbUseType, r }))));
    const found = new Map<string, { job: CliJob; dbUseType: DbUseType }>();
    for (const { dbUseType, r } of results) for (const j of r.jobs) if (ids.includes(j.id)) found.set(j.id, { job: fromDrs(j), dbUseType });
    for (const t of pending) {
      const hit = found.get(t.id);
      if (hit) {
        t.job = hit.job;
        t.dbUseType = hit.dbUseType;
        t.missingSince = undefined;
      } else {
        t.missingSince ??= now();
      }
    }
    return;
  }
  await Promise.all(
    pending.map(async (t) => {
      try {
        t.job = await fetchJob(client, service, t.id, signal);
        t.missingSince = undefined;
      } catch (e) {
        if (!isJobNotFound(e)) throw e;
        t.missingSince ??= now();
      }
    }),
  );
}

function isTransient(e: unknown): boolean {
  return (e instanceof OtcApiError && e.retryable) || e instanceof DeadlineExceededError;
}

export async function runWait(io: Io, globals: GlobalOptions, service: Service, ids: string[], flags: WaitFlags): Promise<ExitCode> {
  const target = parseTarget(service, flags.until);
  if (flags.dbUseType && service !== "drs") throw new UsageError("--db-use-type", "applies to drs only");
  const unique = [...new Set(ids)];
  const bad = unique.find((id) => !jobIdArg.safeParse(id).success);
  if (bad !== undefined) throw new UsageError("<job-id>", `"${bad}" is not a job id (letters, digits and dashes, at most 64)`);
  const { client } = await openClient(globals, io);
  try {
    return await waitFor(io, client, service, unique, target, flags);
  } finally {
    await client.close();
  }
}

/** The polling loop, on an open client (tests drive it with a fake terminal). */
export async function waitFor(io: Io, client: Client, service: Service, ids: string[], target: Target, flags: WaitFlags): Promise<ExitCode> {
  const colors = colorsFor(io);
  const started = Date.now();
  const deadline = started + flags.timeout;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimedOut("timeout")), flags.timeout);
  const tracked: Tracked[] = ids.map((id) => ({ id, verdict: "waiting" }));
  const label = describeTarget(target);
  const svc = service.toUpperCase();
  const plain = createColors(false);
  const progress = new Progress(io, colors, started, () => {
    const done = tracked.filter((t) => t.verdict === "done").length;
    const rest = tracked.filter((t) => t.verdict !== "done").map((t) => jobLine(service, t, plain, true));
    return [`${done}/${tracked.length} ${label}`, ...rest].join(" · ");
  });
  const count = `${ids.length} ${svc} ${ids.length === 1 ? "job" : "jobs"}`;
  progress.line(`waiting for ${count} (until ${label}; timeout ${formatDuration(flags.timeout)}, polling every ${formatDuration(flags.interval)})`);
  const shown = new Map<string, string>();
  try {
    for (;;) {
      const pending = tracked.filter((t) => t.verdict === "waiting");
      try {
        await poll(client, service, pending, flags, controller.signal, Date.now);
      } catch (e) {
        if (controller.signal.aborted) throw new TimedOut("timeout");
        if (e instanceof UsageError || e instanceof InvalidArgumentError || e instanceof ConfigError || !isTransient(e)) throw e;
        progress.line(`${svc}: ${(e as Error).message}; trying again in ${formatDuration(flags.interval)}`);
      }
      for (const t of pending) {
        if (t.job) t.verdict = judge(service, t.job, target);
        const text = t.job
          ? jobLine(service, t, colors)
          : `${service} ${t.id} not visible yet; trying for up to ${formatDuration(flags.grace)}`;
        if (shown.get(t.id) !== text) {
          shown.set(t.id, text);
          progress.change(text);
        }
        if (!t.job && t.missingSince !== undefined && Date.now() - t.missingSince >= flags.grace) {
          throw new JobNotFoundError(`${svc} has no job ${t.id} (not found for ${formatDuration(flags.grace)}; raise --grace if new jobs show up later)`);
        }
      }
      const failed = tracked.filter((t) => t.verdict === "failed");
      const elapsed = `${((Date.now() - started) / 1000).toFixed(1)}s`;
      if (failed.length) {
        await addFailReasons(client, failed.map((t) => t.job!), controller.signal);
        progress.stop();
        for (const t of failed) {
          const reason = t.job?.failReason ? `: ${t.job.failReason}` : "";
          const short = target.kind === "finished" ? "" : ` without reaching ${label}`;
          io.stdout.write(`failed: ${service} ${t.id} ended ${t.job?.status} (${paintPhase(colors, t.job!.phase)})${short}${reason}\n`);
        }
        const open = tracked.filter((t) => t.verdict === "waiting");
        if (open.length) io.stdout.write(`not waiting for the rest: ${open.map((t) => jobLine(service, t, colors)).join(", ")}\n`);
        return EXIT.failed;
      }
      if (tracked.every((t) => t.verdict === "done")) {
        progress.stop();
        io.stdout.write(`done: ${count} ${target.kind === "finished" ? "finished" : `reached ${label}`} after ${elapsed}\n`);
        return EXIT.ok;
      }
      const wait = Math.min(flags.interval, Math.max(0, deadline - Date.now()));
      try {
        await sleep(wait, undefined, { signal: controller.signal });
      } catch {
        throw new TimedOut("timeout");
      }
      if (Date.now() >= deadline) throw new TimedOut("timeout");
    }
  } catch (e) {
    progress.stop();
    if (!(e instanceof TimedOut)) throw e;
    const open = tracked.filter((t) => t.verdict !== "done");
    io.stdout.write(
      `timeout: after ${formatDuration(flags.timeout)}, ${open.length} of ${tracked.length} not ${label}: ` +
        `${open.map((t) => jobLine(service, t, colors)).join(", ")}\n`,
    );
    return EXIT.timeout;
  } finally {
    clearTimeout(timer);
    progress.stop();
  }
}
