/**
 * `otc-jobs list <ddm|dds|drs|all>`: the jobs of one service, or of all three read in parallel and
 * merged newest first.
 *
 * Time window. DDM and DDS list by creation time within a window (default: the last 7 days).
 * DRS's API has no window, so:
 *   - `list drs` without --since/--start/--end shows every DRS job (long-lived sync tasks included);
 *   - with a window flag, or in `list all`, DRS jobs are kept when their create_time falls in the
 *     window, so the merged list means the same thing for every service.
 */
import {
  type Client,
  ConfigError,
  type DbUseType,
  InvalidArgumentError,
  KNOWN_STATUSES,
  paginateDdmJobs,
  paginateDdsJobs,
  PHASES,
  type Phase,
  DDM_WINDOW_RULES,
  DDS_WINDOW_RULES,
  resolveTime,
  resolveWindow,
  ddmRecord,
  ddsRecord,
  drsRecord,
  paginateDrsJobs,
  newestFirst,
  type JobRecord,
  type RecordField,
  type ReadProblem,
} from "../../provider";
import { type Io, openClient } from "../context";
import { UsageError, EXIT, type ExitCode } from "../exit";
import type { GlobalOptions, OutputFormat, Service } from "../options";
import { SERVICES } from "../options";
import { chunkWriter, colorsFor, outputWidth, renderJobTable, shortTime, writeJobList } from "../output";

export interface ListFlags {
  since?: string;
  start?: string;
  end?: string;
  status?: string[];
  phase?: string[];
  name?: string[];
  instance?: string;
  dbUseType?: DbUseType;
  maxItems?: number;
  output?: OutputFormat;
  wide?: boolean;
  /** `--no-headers` sets this false. */
  headers?: boolean;
  quiet?: boolean;
  fields?: RecordField[];
}

export interface ListResult {
  /** Matching jobs, newest first, at most `--max-items`. */
  jobs: JobRecord[];
  /** Matching jobs read before the `--max-items` cut. */
  matched: number;
  /** Services queried (all three for `all`, less those no --status value applies to). */
  services: Service[];
  /** Matching jobs per service, before the cut. */
  counts: Partial<Record<Service, number>>;
  /** Matching jobs per phase, before the cut. */
  byPhase: Record<Phase, number>;
  /** The creation-time window applied (resolved by DDM/DDS, or locally for DRS). */
  window?: { start: string; end: string };
  /** DRS jobs were kept by create_time in `window`. */
  drsWindowed: boolean;
  /** Services that could not be read (the others' jobs are still listed). */
  failures: Array<{ service: Service; error: Error }>;
  /** Fields of listed jobs the reader could not read as documented (the jobs are listed as read). */
  problems: ReadProblem[];
}

/** The flag a core argument name corresponds to, for messages. */
function flagFor(argument: string, flags: ListFlags): string {
  const map: Record<string, string> = {
    startTime: flags.since !== undefined ? "--since" : "--start",
    endTime: "--end",
    status: "--status",
    name: "--name",
    instanceId: "--instance",
    instanceIds: "--instance",
    maxItems: "--max-items",
    dbUseType: "--db-use-type",
    phase: "--phase",
  };
  return map[argument.replace(/\[\d+\].*$/, "")] ?? argument;
}

/** Re-words a core argument error in terms of flags. */
export function asUsageError(e: InvalidArgumentError, flags: ListFlags): UsageError {
  const flag = flagFor(e.argument, flags);
  return new UsageError(flag, e.detail.replace(new RegExp(`\\b${e.argument}\\b`, "g"), flag));
}

/** Which of the given statuses each service knows; a status no selected service knows is an error. */
function statusesByService(services: Service[], statuses: string[] | undefined): Partial<Record<Service, string[]>> | undefined {
  if (!statuses) return undefined;
  const out: Partial<Record<Service, string[]>> = {};
  for (const s of services) out[s] = statuses.filter((st) => KNOWN_STATUSES[s].includes(st));
  for (const st of statuses) {
    if (services.some((s) => KNOWN_STATUSES[s].includes(st))) continue;
    const hint = (PHASES as readonly string[]).includes(st) ? ` (to filter by phase, use --phase ${st})` : "";
    const where = services.length === 1 ? `a ${services[0]!.toUpperCase()} status; use one of ${KNOWN_STATUSES[services[0]!].join(", ")}` : "a DDM, DDS or DRS status";
    throw new UsageError("--status", `"${st}" is not ${where}${hint}`);
  }
  return out;
}

/**
 * Every job of a listing as records, page by page as pages arrive: the service's own job objects
 * are never all held at once, so the CLI holds about what the library would for the same listing.
 */
async function recordsOf<J>(pages: AsyncIterable<J[]> & { problems: ReadProblem[] }, toRecord: (job: J) => JobRecord): Promise<{ jobs: JobRecord[]; problems: ReadProblem[] }> {
  const jobs: JobRecord[] = [];
  for await (const page of pages) for (const job of page) jobs.push(toRecord(job));
  return { jobs, problems: pages.problems };
}

export async function listJobs(client: Client, target: Service | "all", flags: ListFlags): Promise<ListResult> {
  let services: Service[] = target === "all" ? [...SERVICES] : [target];
  if (flags.dbUseType && !services.includes("drs")) throw new UsageError("--db-use-type", "applies to drs (and all) only");
  if (flags.since !== undefined && flags.start !== undefined) throw new UsageError("--since", "give --since or --start, not both");
  const byService = statusesByService(services, flags.status);
  // In `all`, a service none of the --status values belongs to has nothing to show.
  if (byService) services = services.filter((s) => byService[s]!.length > 0);

  const startTime = flags.since ?? flags.start ?? "7d";
  const explicitWindow = flags.since !== undefined || flags.start !== undefined || flags.end !== undefined;
  const drsWindowed = services.includes("drs") && (target === "all" || explicitWindow);
  let drsWindow: { startMs: number; endMs: number } | undefined;
  const windowArgs = { startTime, ...(flags.end !== undefined ? { endTime: flags.end } : {}) };
  // Every window is checked before the first request: `list all --since 31d` must not read DRS first.
  const windows: Partial<Record<Service, { start: string; end: string }>> = {};
  try {
    const now = Date.now();
    if (services.includes("ddm")) windows.ddm = resolveWindow(windowArgs, DDM_WINDOW_RULES, now).window;
    if (services.includes("dds")) windows.dds = resolveWindow(windowArgs, DDS_WINDOW_RULES, now).window;
  } catch (e) {
    throw e instanceof InvalidArgumentError ? asUsageError(e, flags) : e;
  }
  if (drsWindowed) {
    const now = Date.now();
    try {
      const startMs = resolveTime("startTime", startTime, now);
      const endMs = flags.end === undefined ? now : resolveTime("endTime", flags.end, now);
      if (startMs >= endMs) throw new UsageError(flagFor("startTime", flags), `must be before ${flags.end !== undefined ? "--end" : "now"}`);
      drsWindow = { startMs, endMs };
    } catch (e) {
      throw e instanceof InvalidArgumentError ? asUsageError(e, flags) : e;
    }
  }

  // No `maxItems` for the core: the APIs do not promise an order, so the newest N are cut after sorting.
  const common = { name: flags.name, phase: flags.phase as Phase[] | undefined };
  const calls: Record<Service, () => Promise<{ jobs: JobRecord[]; window?: { start: string; end: string }; problems: ReadProblem[] }>> = {
    ddm: async () => {
      const { jobs, problems } = await recordsOf(paginateDdmJobs(client, { ...windowArgs, ...common, status: byService?.ddm, instanceId: flags.instance }), ddmRecord);
      return { jobs, window: windows.ddm, problems };
    },
    dds: async () => {
      const { jobs, problems } = await recordsOf(paginateDdsJobs(client, { ...windowArgs, ...common, status: byService?.dds, instanceId: flags.instance }), ddsRecord);
      return { jobs, window: windows.dds, problems };
    },
    drs: async () => {
      // Without --db-use-type the core reads all three scenarios itself.
      const read = await recordsOf(
        paginateDrsJobs(client, {
          dbUseType: flags.dbUseType,
          status: byService?.drs,
          phase: common.phase,
          name: flags.name,
          ...(flags.instance ? { instanceIds: [flags.instance] } : {}),
        }),
        drsRecord,
      );
      let jobs = read.jobs;
      const problems = read.problems;
      if (drsWindow) {
        const { startMs, endMs } = drsWindow;
        // A time DRS sent that cannot be read is kept rather than hidden.
        jobs = jobs.filter((j) => {
          const t = Date.parse(j.created);
          return Number.isNaN(t) || (t >= startMs && t <= endMs);
        });
      }
      return { jobs, problems };
    },
  };

  const settled = await Promise.allSettled(services.map((s) => calls[s]()));
  const failures: ListResult["failures"] = [];
  const jobs: JobRecord[] = [];
  const problems: ReadProblem[] = [];
  let window: ListResult["window"];
  settled.forEach((r, i) => {
    const service = services[i]!;
    if (r.status === "fulfilled") {
      // Not push(...jobs): spreading 100,000+ arguments overflows the stack.
      for (const job of r.value.jobs) jobs.push(job);
      for (const p of r.value.problems) problems.push(p);
      window ??= r.value.window;
    } else {
      failures.push({ service, error: r.reason instanceof Error ? r.reason : new Error(String(r.reason)) });
    }
  });
  // A wrong argument or missing configuration is the caller's to fix, not a partial result.
  const fatal = failures.find((f) => f.error instanceof InvalidArgumentError || f.error instanceof ConfigError || f.error instanceof UsageError);
  if (fatal) throw fatal.error instanceof InvalidArgumentError ? asUsageError(fatal.error, flags) : fatal.error;
  if (services.length > 0 && failures.length === services.length) throw failures[0]!.error;

  const seen = new Set<string>();
  const matching = jobs
    .filter((j) => {
      const key = `${j.service} ${j.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(newestFirst);
  const counts: ListResult["counts"] = {};
  for (const s of services) counts[s] = matching.filter((j) => j.service === s).length;
  const byPhase = Object.fromEntries(PHASES.map((p) => [p, matching.filter((j) => j.phase === p).length])) as Record<Phase, number>;
  if (!window && drsWindow) window = { start: new Date(drsWindow.startMs).toISOString(), end: new Date(drsWindow.endMs).toISOString() };
  return {
    jobs: flags.maxItems ? matching.slice(0, flags.maxItems) : matching,
    matched: matching.length,
    services,
    counts,
    byPhase,
    window,
    drsWindowed,
    failures,
    problems,
  };
}

/** The lines under the table: counts by service and phase, the window, what was left out. */
export function summaryLines(r: ListResult, maxItems?: number): string[] {
  const lines: string[] = [];
  const perService = r.services.map((s) => `${s} ${r.counts[s] ?? 0}`).join(", ");
  const byPhase = PHASES.map((p) => [p, r.byPhase[p]] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} ${p}`)
    .join(", ");
  lines.push(`${r.matched} ${r.matched === 1 ? "job" : "jobs"}${perService ? ` (${perService})` : ""}`);
  if (maxItems && r.matched > r.jobs.length) lines.push(`showing the newest ${r.jobs.length} (--max-items ${maxItems})`);
  if (byPhase) lines.push(`phases: ${byPhase}`);
  if (r.window) {
    lines.push(`created ${shortTime(r.window.start)} to ${shortTime(r.window.end)} UTC`);
  }
  if (r.services.includes("drs") && !r.drsWindowed) lines.push("DRS: every job (its API has no time window)");
  for (const f of r.failures) lines.push(`${f.service.toUpperCase()} could not be read (see the error above)`);
  return lines;
}

export async function runList(io: Io, globals: GlobalOptions, target: Service | "all", flags: ListFlags): Promise<ExitCode> {
  const { client } = await openClient(globals, io);
  try {
    const result = await listJobs(client, target, flags);
    await printList(io, result, flags);
    return result.failures.length ? EXIT.api : EXIT.ok;
  } finally {
    await client.close();
  }
}

export async function printList(io: Io, result: ListResult, flags: ListFlags): Promise<void> {
  for (const f of result.failures) io.stderr.write(`otc-jobs: ${f.service.toUpperCase()}: ${f.error.message}\n`);
  // Jobs the reader could not fully read are listed as read; say what was missing (a few, then a count).
  for (const p of result.problems.slice(0, 5)) io.stderr.write(`otc-jobs: warning: ${p.service.toUpperCase()} job ${p.jobId || "(no id)"}: ${p.path}${p.page === undefined ? "" : ` (page ${p.page + 1})`}: ${p.message}\n`);
  if (result.problems.length > 5) io.stderr.write(`otc-jobs: warning: ${result.problems.length - 5} more fields could not be read as documented\n`);
  const out = chunkWriter(io.stdout);
  if (flags.quiet) {
    // Ids only, one a line: for `xargs` and loops.
    for (let i = 0; i < result.jobs.length; i += 1000) await out.write(result.jobs.slice(i, i + 1000).map((j) => `${j.id}\n`).join(""));
    return;
  }
  const format = flags.output === "wide" || (flags.wide && (flags.output ?? "table") === "table") ? "wide" : (flags.output ?? "table");
  if (format !== "table" && format !== "wide") return writeJobList(io, format, result.jobs, { fields: flags.fields, headers: flags.headers });
  const colors = colorsFor(io);
  const width = outputWidth(io);
  if (result.jobs.length) {
    await out.write(`${renderJobTable(result.jobs, { colors, width, wide: format === "wide", fields: flags.fields, headers: flags.headers })}\n`);
  } else if (flags.headers !== false) {
    await out.write("No jobs found.\n");
  }
  if (flags.headers !== false) await out.write(`${colors.dim(summaryLines(result, flags.maxItems).join("\n"))}\n`);
}
