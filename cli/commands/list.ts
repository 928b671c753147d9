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
  type JobPages,
} from "../../provider";
import { type Io, openClient } from "../context";
import { UsageError, EXIT, type ExitCode } from "../exit";
import type { GlobalOptions, OutputFormat, Service } from "../options";
import { SERVICES } from "../options";
import { chunkWriter, colorsFor, jobListWriter, type ListFormat, outputWidth, renderJobTable, shortTime, writeJobList } from "../output";

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
  /** json, jsonl, csv, yaml, -q: newest first (the listing is held) instead of as pages arrive. */
  sorted?: boolean;
}

/** A listing held whole: its jobs newest first (at most `--max-items`), and its tally. */
export interface ListResult extends ListTally {
  jobs: JobRecord[];
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

/** What a listing found, counted as its pages went by (the jobs themselves are not held). */
export interface ListTally {
  /** Matching jobs. */
  matched: number;
  services: Service[];
  counts: Partial<Record<Service, number>>;
  byPhase: Record<Phase, number>;
  window?: { start: string; end: string };
  drsWindowed: boolean;
  failures: Array<{ service: Service; error: Error }>;
  problems: ReadProblem[];
}

/** Receives each page of matching jobs as it arrives; the listing waits for the promise (back-pressure). */
export type PageSink = (jobs: JobRecord[]) => void | Promise<void>;

/**
 * Reads every matching job and hands each page to `sink` as it arrives, in page order per service; in
 * `all` the three services' pages interleave. Nothing is held beyond the pages in flight: each core
 * listing drops repeated ids itself; DRS, read per scenario, is de-duplicated here (a few jobs).
 * Throws before the first request for a wrong flag; throws after the listing when no service could be
 * read, or a service found a flag or the configuration wrong.
 */
export async function streamJobs(client: Client, target: Service | "all", flags: ListFlags, sink: PageSink): Promise<ListTally> {
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

  const counts: ListTally["counts"] = {};
  const byPhase = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  let matched = 0;
  /** Maps, filters, counts and hands on one page of a service's jobs. */
  const pass = async <J>(service: Service, pages: JobPages<J>, toRecord: (job: J) => JobRecord, keep?: (job: JobRecord) => boolean): Promise<ReadProblem[]> => {
    counts[service] = 0;
    for await (const page of pages) {
      const jobs: JobRecord[] = [];
      for (const job of page) {
        const record = toRecord(job);
        if (keep && !keep(record)) continue;
        jobs.push(record);
        byPhase[record.phase]++;
      }
      counts[service]! += jobs.length;
      matched += jobs.length;
      if (jobs.length) await sink(jobs);
    }
    return pages.problems;
  };

  // No `maxItems` for the core: the APIs do not promise an order, so the newest N are cut after sorting.
  const common = { name: flags.name, phase: flags.phase as Phase[] | undefined };
  const calls: Record<Service, () => Promise<ReadProblem[]>> = {
    ddm: () => pass("ddm", paginateDdmJobs(client, { ...windowArgs, ...common, status: byService?.ddm, instanceId: flags.instance }), ddmRecord),
    dds: () => pass("dds", paginateDdsJobs(client, { ...windowArgs, ...common, status: byService?.dds, instanceId: flags.instance }), ddsRecord),
    drs: () => {
      // Without --db-use-type the core reads all three scenarios one after the other; a job belongs to
      // one, but a job seen twice is shown once. An id-less job cannot be matched and is always kept.
      // paginateDrsJobs gives each job once across scenarios; what is left to do here is DRS's window.
      const keep = (j: JobRecord): boolean => {
        if (!drsWindow) return true;
        // A time DRS sent that cannot be read is kept rather than hidden.
        const t = Date.parse(j.created);
        return Number.isNaN(t) || (t >= drsWindow.startMs && t <= drsWindow.endMs);
      };
      const pages = paginateDrsJobs(client, {
        dbUseType: flags.dbUseType,
        status: byService?.drs,
        phase: common.phase,
        name: flags.name,
        ...(flags.instance ? { instanceIds: [flags.instance] } : {}),
      });
      return pass("drs", pages, drsRecord, keep);
    },
  };

  // Each service's call is started inside the promise: a core argument error thrown while starting a
  // listing is that service's failure, like an error of its first page.
  const settled = await Promise.allSettled(services.map(async (s) => calls[s]()));
  const failures: ListTally["failures"] = [];
  const problems: ReadProblem[] = [];
  settled.forEach((r, i) => {
    const service = services[i]!;
    if (r.status === "fulfilled") for (const p of r.value) problems.push(p);
    else failures.push({ service, error: r.reason instanceof Error ? r.reason : new Error(String(r.reason)) });
  });
  // A wrong argument or missing configuration is the caller's to fix, not a partial result.
  const fatal = failures.find((f) => f.error instanceof InvalidArgumentError || f.error instanceof ConfigError || f.error instanceof UsageError);
  if (fatal) throw fatal.error instanceof InvalidArgumentError ? asUsageError(fatal.error, flags) : fatal.error;
  if (services.length > 0 && failures.length === services.length) throw failures[0]!.error;

  let window = services.map((s, i) => (settled[i]!.status === "fulfilled" ? windows[s] : undefined)).find((w) => w !== undefined);
  if (!window && drsWindow) window = { start: new Date(drsWindow.startMs).toISOString(), end: new Date(drsWindow.endMs).toISOString() };
  return { matched, services, counts, byPhase, window, drsWindowed, failures, problems };
}

/**
 * Every matching job, held and sorted newest first (ties: service, then id), at most `--max-items`:
 * for the table, `--sorted` and `--max-items`. With `--max-items N` at most about 2N jobs are held.
 */
export async function listJobs(client: Client, target: Service | "all", flags: ListFlags): Promise<ListResult> {
  const cap = flags.maxItems;
  let jobs: JobRecord[] = [];
  const tally = await streamJobs(client, target, flags, (page) => {
    for (const job of page) jobs.push(job);
    // Keep the newest `cap`: sort and cut whenever twice as many are held.
    if (cap && jobs.length >= 2 * cap) jobs = jobs.sort(newestFirst).slice(0, cap);
  });
  jobs.sort(newestFirst);
  return { ...tally, jobs: cap ? jobs.slice(0, cap) : jobs };
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

/** The output format the flags ask for (`-w` is `-o wide`). */
function formatOf(flags: ListFlags): OutputFormat {
  return flags.output === "wide" || (flags.wide && (flags.output ?? "table") === "table") ? "wide" : (flags.output ?? "table");
}

/**
 * Machine formats and `-q` are written as pages arrive, so a listing of any size costs about what the
 * library holds for it; they are sorted only with `--sorted` or `--max-items` (the newest N). The table
 * is for people: it is laid out, sorted and summed up once every job is in.
 */
export async function runList(io: Io, globals: GlobalOptions, target: Service | "all", flags: ListFlags): Promise<ExitCode> {
  const { client } = await openClient(globals, io);
  try {
    const format = formatOf(flags);
    const listFormat: ListFormat | undefined = flags.quiet ? "ids" : format === "table" || format === "wide" ? undefined : format;
    if (listFormat && !flags.sorted && !flags.maxItems) {
      const writer = jobListWriter(io, listFormat, { fields: flags.fields, headers: flags.headers });
      let tally: ListTally;
      try {
        tally = await streamJobs(client, target, flags, (jobs) => writer.write(jobs));
      } catch (e) {
        // The jobs read before the failure stay printed (a JSON array is closed around them); the error
        // and the exit code say the list is incomplete.
        await writer.end(true);
        throw e;
      }
      await writer.end();
      printProblems(io, tally);
      return tally.failures.length ? EXIT.api : EXIT.ok;
    }
    const result = await listJobs(client, target, flags);
    await printList(io, result, flags);
    return result.failures.length ? EXIT.api : EXIT.ok;
  } finally {
    await client.close();
  }
}

/** The services that failed, and fields of listed jobs that could not be read (a few, then a count). */
function printProblems(io: Io, tally: ListTally): void {
  for (const f of tally.failures) io.stderr.write(`otc-jobs: ${f.service.toUpperCase()}: ${f.error.message}\n`);
  // Jobs the reader could not fully read are listed as read; say what was missing (a few, then a count).
  for (const p of tally.problems.slice(0, 5)) io.stderr.write(`otc-jobs: warning: ${p.service.toUpperCase()} job ${p.jobId || "(no id)"}: ${p.path}${p.page === undefined ? "" : ` (page ${p.page + 1})`}: ${p.message}\n`);
  if (tally.problems.length > 5) io.stderr.write(`otc-jobs: warning: ${tally.problems.length - 5} more fields could not be read as documented\n`);
}

export async function printList(io: Io, result: ListResult, flags: ListFlags): Promise<void> {
  printProblems(io, result);
  if (flags.quiet) return writeJobList(io, "ids", result.jobs);
  const format = formatOf(flags);
  if (format !== "table" && format !== "wide") return writeJobList(io, format, result.jobs, { fields: flags.fields, headers: flags.headers });
  const out = chunkWriter(io.stdout);
  const colors = colorsFor(io);
  const width = outputWidth(io);
  if (result.jobs.length) {
    await out.write(`${renderJobTable(result.jobs, { colors, width, wide: format === "wide", fields: flags.fields, headers: flags.headers })}\n`);
  } else if (flags.headers !== false) {
    await out.write("No jobs found.\n");
  }
  if (flags.headers !== false) await out.write(`${colors.dim(summaryLines(result, flags.maxItems).join("\n"))}\n`);
}
