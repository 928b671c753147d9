/**
 * `otc-jobs list <service|all> --all-projects [--regions eu-de,eu-nl]` (cli/main.ts hands `list` here
 * when either flag is given): the audit across the
 * account. IAM `GET /v3/auth/projects` names the projects the credentials can see; each project of
 * a region (filtered by --regions) is listed as `list` lists one, with its own client scoped to that
 * project and region, a few projects at a time. A project that cannot be read is reported and the
 * others are still listed; the exit code is 4 only then, and the message names every such project.
 */
import type { AccountProject, Client, JobRecord, Phase, RecordField } from "../provider";
import { type Io, formatLogEvent, openClient, settingsFromFlags } from "./context";
import { EXIT, type ExitCode, UsageError } from "./exit";
import type { GlobalOptions, Service } from "./options";
import { chunkWriter, colorsFor, csvCell, fitColumns, outputWidth, paintPhase, plainJob, safeText, shortTime, truncateEnd, truncateStatus, type Colors } from "./output";
import type { ListFlags, ListResult } from "./commands/list";

export interface AuditFlags extends ListFlags {
  allProjects?: boolean;
  regions?: string[];
}

/** Projects read at once; each also reads its services in parallel, so this bounds the whole fan-out. */
export const PROJECT_PARALLELISM = 4;
/** Pages in flight per service listing of one project (the client default is 8). */
export const PER_PROJECT_CONCURRENCY = 4;

export interface ProjectOutcome {
  project: AccountProject & { region: string };
  /** Set when at least one service could be read. */
  result?: ListResult;
  /** Set when the project could not be read at all; `result.failures` holds partial failures. */
  error?: Error;
}

export interface AuditResult {
  /** The projects audited, in IAM's order. */
  outcomes: ProjectOutcome[];
  /** Listed by IAM but not audited, with why (no region, disabled). */
  skipped: Array<{ project: AccountProject; reason: string }>;
  /** Projects outside --regions (not audited, not an error). */
  otherRegions: number;
  /** --regions values no project belongs to. */
  emptyRegions: string[];
}

/** Runs `fn` over `items`, at most `limit` at a time; results in input order; never rejects. */
export async function settleLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await fn(items[i]!) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A project is failed when it could not be read, or one of its services could not. */
export function failedProjects(r: AuditResult): ProjectOutcome[] {
  return r.outcomes.filter((o) => o.error !== undefined || (o.result?.failures.length ?? 0) > 0);
}

/**
 * Lists every project of the account. `clientFor` makes a client scoped to one project (the caller
 * closes nothing: each is closed here after its listing).
 */
export async function auditAccount(
  base: Client,
  clientFor: (p: AccountProject & { region: string }) => Client,
  target: Service | "all",
  flags: AuditFlags,
): Promise<AuditResult> {
  const { listAccountProjects, InvalidArgumentError } = await import("../provider");
  const { listJobs } = await import("./commands/list");
  const all = await listAccountProjects(base);
  const skipped: AuditResult["skipped"] = [];
  const inScope: Array<AccountProject & { region: string }> = [];
  let otherRegions = 0;
  for (const p of all) {
    if (p.region === undefined) skipped.push({ project: p, reason: "belongs to no region" });
    else if (!p.enabled) skipped.push({ project: p, reason: "disabled in IAM" });
    else if (flags.regions && !flags.regions.includes(p.region)) otherRegions++;
    else inScope.push({ ...p, region: p.region });
  }
  const emptyRegions = (flags.regions ?? []).filter((r) => !inScope.some((p) => p.region === r));
  const settled = await settleLimited(inScope, PROJECT_PARALLELISM, async (project) => {
    const client = clientFor(project);
    try {
      return await listJobs(client, target, flags);
    } finally {
      await client.close();
    }
  });
  const outcomes = inScope.map((project, i): ProjectOutcome => {
    const s = settled[i]!;
    if (s.status === "fulfilled") return { project, result: s.value };
    const error = s.reason instanceof Error ? s.reason : new Error(String(s.reason));
    return { project, error };
  });
  // A flag the services reject is wrong for every project alike: the caller's to fix, not an outage.
  const usage = outcomes.find((o) => o.error instanceof UsageError || o.error instanceof InvalidArgumentError);
  if (usage?.error) throw usage.error;
  return { outcomes, skipped, otherRegions, emptyRegions };
}

/** One job of the audit as scripts see it: the project's name, id and region, then the job record (or `fields` of it). */
export function auditRecord(project: ProjectOutcome["project"], job: JobRecord, fields?: readonly RecordField[]): Record<string, string> {
  return { project: project.name, projectId: project.id, region: project.region, ...plainJob(job, fields?.length ? fields : undefined) };
}

interface Row {
  project: ProjectOutcome["project"];
  job: JobRecord;
}

function rowsOf(r: AuditResult, maxItems?: number): Row[] {
  const rows = r.outcomes.flatMap((o) => (o.result?.jobs ?? []).map((job) => ({ project: o.project, job })));
  rows.sort((a, b) => b.job.created.localeCompare(a.job.created) || a.project.name.localeCompare(b.project.name) || a.job.id.localeCompare(b.job.id));
  return maxItems ? rows.slice(0, maxItems) : rows;
}

/** Columns padded to `widths`, two spaces apart, no trailing blanks; `paint` colours a cell after padding. */
function layout(lines: string[][], widths: number[], paint: (line: number, col: number, padded: string) => string): string {
  return lines
    .map((cells, li) =>
      cells
        .map((cell, ci) => paint(li, ci, ci === cells.length - 1 ? cell : cell.padEnd(widths[ci]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The jobs of every project: project, region, service, name, status, phase, created, id. */
export function renderAuditTable(rows: Row[], opts: { colors: Colors; width: number; wide?: boolean; headers?: boolean }): string {
  const head = ["project", "region", "service", "name", "status", "phase", "created (UTC)", "id"];
  const plain = rows.map(({ project, job }) => [safeText(project.name), project.region, job.service, safeText(job.name), safeText(job.status), job.phase, shortTime(job.created), job.id]);
  const natural = head.map((h, i) => Math.max(h.length, ...plain.map((r) => r[i]!.length)));
  // Ids stay whole (get and wait need them); name, status and project give way on a narrow terminal.
  const widths = opts.wide ? natural : fitColumns(natural, [0, 3, 4], opts.width, 2);
  const cells = plain.map((r) =>
    r.map((cell, i) => (i === 4 ? truncateStatus(cell, widths[i]!) : i === 7 ? cell : truncateEnd(cell, widths[i]!))),
  );
  const c = opts.colors;
  const text = layout([head, ...cells], widths, (li, ci, padded) => {
    if (li === 0) return c.bold(padded);
    return ci === 5 ? padded.replace(rows[li - 1]!.job.phase, paintPhase(c, rows[li - 1]!.job.phase)) : padded;
  });
  return opts.headers === false ? text.slice(text.indexOf("\n") + 1) : text;
}

/** One line per project: jobs per service, failed ones, and whether it could be read. */
export function renderProjectSummary(r: AuditResult, services: readonly Service[], colors: Colors): string {
  const head = ["project", "region", "project id", "jobs", ...services, "failed", "result"];
  const lines = r.outcomes.map((o) => {
    const res = o.result;
    const partial = res?.failures.map((f) => f.service.toUpperCase()).join(", ");
    // The full error is on stderr; here, enough to tell one failure from another.
    const result = o.error ? `not read: ${truncateEnd(o.error.message.split("\n", 1)[0] ?? "", 60)}` : partial ? `partial: ${partial} not read` : "ok";
    return [
      safeText(o.project.name),
      o.project.region,
      o.project.id,
      res ? String(res.matched) : "-",
      ...services.map((s) => (res && res.counts[s] !== undefined ? String(res.counts[s]) : "-")),
      res ? String(res.byPhase.failed) : "-",
      result,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const failedCol = head.length - 2;
  return layout([head, ...lines], widths, (li, ci, padded) => {
    if (li === 0) return colors.bold(padded);
    const line = lines[li - 1]!;
    if (ci === head.length - 1 && line[ci] !== "ok") return colors.red(padded);
    if (ci === failedCol && line[ci] !== "0" && line[ci] !== "-") return colors.red(padded);
    return padded;
  });
}

function totalsLine(r: AuditResult): string {
  const byPhase: Partial<Record<Phase, number>> = {};
  let jobs = 0;
  for (const o of r.outcomes) {
    if (!o.result) continue;
    jobs += o.result.matched;
    for (const [phase, n] of Object.entries(o.result.byPhase) as Array<[Phase, number]>) byPhase[phase] = (byPhase[phase] ?? 0) + n;
  }
  const phases = Object.entries(byPhase)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${n} ${p}`)
    .join(", ");
  const read = r.outcomes.filter((o) => o.result).length;
  return `${jobs} ${jobs === 1 ? "job" : "jobs"} in ${read} of ${r.outcomes.length} ${r.outcomes.length === 1 ? "project" : "projects"}${phases ? ` (${phases})` : ""}`;
}

function notes(r: AuditResult): string[] {
  const out: string[] = [];
  for (const s of r.skipped) out.push(`skipped ${s.project.name} (${s.project.id}): ${s.reason}`);
  if (r.otherRegions > 0) out.push(`${r.otherRegions} ${r.otherRegions === 1 ? "project" : "projects"} in other regions not listed (--regions)`);
  for (const region of r.emptyRegions) out.push(`no project in ${region}`);
  const window = r.outcomes.find((o) => o.result?.window)?.result?.window;
  if (window) out.push(`created ${shortTime(window.start)} to ${shortTime(window.end)} UTC`);
  return out;
}

export async function printAudit(io: Io, r: AuditResult, flags: AuditFlags, services: readonly Service[]): Promise<void> {
  for (const o of r.outcomes) {
    const label = `${o.project.name} (${o.project.id})`;
    if (o.error) io.stderr.write(`otc-jobs: project ${label}: ${o.error.message}\n`);
    for (const f of o.result?.failures ?? []) io.stderr.write(`otc-jobs: project ${label}: ${f.service.toUpperCase()}: ${f.error.message}\n`);
  }
  const rows = rowsOf(r, flags.maxItems);
  const out = chunkWriter(io.stdout);
  if (flags.quiet) {
    for (const row of rows) await out.write(`${row.job.id}\n`);
    return;
  }
  const format = flags.output ?? "table";
  const records = (): Array<Record<string, string>> => rows.map((row) => auditRecord(row.project, row.job, flags.fields));
  if (format === "json" || format === "yaml") {
    const data = {
      projects: r.outcomes.map((o) => ({
        project: o.project.name,
        projectId: o.project.id,
        region: o.project.region,
        read: o.error === undefined && !o.result?.failures.length,
        jobs: o.result?.matched ?? null,
        byService: o.result?.counts ?? null,
        byPhase: o.result?.byPhase ?? null,
        errors: [
          ...(o.error ? [{ service: null, message: o.error.message }] : []),
          ...(o.result?.failures ?? []).map((f) => ({ service: f.service, message: f.error.message })),
        ],
      })),
      skipped: r.skipped.map((s) => ({ project: s.project.name, projectId: s.project.id, reason: s.reason })),
      jobs: records(),
    };
    if (format === "json") await out.write(`${JSON.stringify(data, null, 2)}\n`);
    else await out.write((await import("yaml")).stringify(data));
    return;
  }
  if (format === "jsonl") {
    for (const rec of records()) await out.write(`${JSON.stringify(rec)}\n`);
    return;
  }
  if (format === "csv") {
    const recs = records();
    const fields = ["project", "projectId", "region", ...(flags.fields?.length ? flags.fields : (await import("../provider")).RECORD_FIELDS)];
    if (flags.headers !== false) await out.write(`${fields.join(",")}\n`);
    for (const rec of recs) await out.write(`${fields.map((f) => csvCell(rec[f] ?? "")).join(",")}\n`);
    return;
  }
  const colors = colorsFor(io);
  const wide = format === "wide" || flags.wide;
  const table = rows.length ? renderAuditTable(rows, { colors, width: outputWidth(io), wide, headers: flags.headers }) : flags.headers === false ? "" : "No jobs found.";
  if (flags.headers === false) {
    if (table) await out.write(`${table}\n`);
    return;
  }
  await out.write(`${[table, "", renderProjectSummary(r, services, colors), colors.dim([totalsLine(r), ...notes(r)].join("\n"))].join("\n")}\n`);
}

export interface OpenedAccount {
  /** The client of the configured project: it asks IAM for the projects. */
  base: Client;
  /** A client with the same credentials and settings, scoped to another project and its region. */
  clientFor(p: AccountProject & { region: string }): Client;
}

/** The base client (flags > env > clouds.yaml, as every command) and a factory of per-project clients. */
export async function openAccount(globals: GlobalOptions, io: Io): Promise<OpenedAccount> {
  const { client: base } = await openClient(globals, io);
  const { resolveConfig, Client } = await import("../provider");
  const resolved = resolveConfig({ args: settingsFromFlags(globals), env: io.env });
  const clientFor = (p: AccountProject & { region: string }): Client =>
    new Client(
      resolved.clientOptions({
        projectId: p.id,
        region: p.region,
        concurrency: PER_PROJECT_CONCURRENCY,
        ...(globals.verbose ? { logger: (e) => io.stderr.write(`${formatLogEvent(e).replace(/^otc-jobs: /, `otc-jobs: [${p.name}] `)}\n`) } : {}),
      }),
    );
  return { base, clientFor };
}

/** The projects that could not be read completely, named for stderr, plus a hint for token users. */
export function reportFailedProjects(io: Io, globals: GlobalOptions, base: Client, result: AuditResult): boolean {
  const failed = failedProjects(result);
  if (!failed.length) return false;
  const names = failed.map((o) => `${o.project.name} (${o.project.id})`).join(", ");
  io.stderr.write(`otc-jobs: ${failed.length} of ${result.outcomes.length} projects could not be read completely: ${names}\n`);
  const otherProject = failed.some((o) => o.project.id !== globals.projectId && o.project.id !== io.env.OS_PROJECT_ID);
  if (base.authKind === "token" && otherProject) {
    io.stderr.write(
      "otc-jobs: hint: a token is scoped to one project; for --all-projects use an access key (OS_ACCESS_KEY + OS_SECRET_KEY) " +
        "or an IAM user (OS_USERNAME + OS_PASSWORD + OS_DOMAIN_NAME), which reach every project\n",
    );
  }
  return true;
}

/** `list ... --all-projects`: opens the base client, audits, prints; exit 4 when a project failed. */
export async function runList(io: Io, globals: GlobalOptions, target: Service | "all", flags: AuditFlags): Promise<ExitCode> {
  if (flags.regions && !flags.allProjects) throw new UsageError("--regions", "applies with --all-projects only");
  const { base, clientFor } = await openAccount(globals, io);
  try {
    const result = await auditAccount(base, clientFor, target, flags);
    const services = target === "all" ? (["ddm", "dds", "drs"] as const) : [target];
    await printAudit(io, result, flags, services);
    return reportFailedProjects(io, globals, base, result) ? EXIT.api : EXIT.ok;
  } finally {
    await base.close();
  }
}
