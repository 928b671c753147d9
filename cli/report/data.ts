/**
 * What an ops report shows, computed once from the jobs read: totals by service and phase, jobs and
 * failures per UTC day, the failed jobs with their reasons, and the jobs waiting for an operator.
 * Both renderers (HTML and JSON) take this value, so they cannot disagree.
 */
import type { JobRecord, Phase } from "../../provider";

export const REPORT_SERVICES = ["ddm", "dds", "drs"] as const;
export type ReportService = (typeof REPORT_SERVICES)[number];
export const REPORT_PHASES: readonly Phase[] = ["pending", "running", "waiting", "succeeded", "failed", "canceled", "unknown"];

/** A job and, in an audit across projects, where it lives. */
export interface ReportJob extends JobRecord {
  project?: string;
  region?: string;
}

export interface ReportDay {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  jobs: number;
  failed: Record<ReportService, number>;
}

export interface ReportInput {
  jobs: ReportJob[];
  window: { start: string; end: string };
  generatedAt: Date;
  /** Where the jobs came from (`project eu-de (0b3c…)`, `4 projects in eu-de, eu-nl`). */
  scope: string;
  /** What could not be read (a service, a project), already worded for people. */
  gaps: string[];
  /** One row per project when the report spans several. */
  projects?: Array<{ project: string; region: string; jobs: number; failed: number; read: boolean }>;
}

export interface ReportData extends ReportInput {
  total: number;
  byPhase: Record<Phase, number>;
  byService: Record<ReportService, { total: number; byPhase: Record<Phase, number> }>;
  days: ReportDay[];
  /** Failed jobs, newest first. */
  failed: ReportJob[];
  /** Jobs that need an operator (phase waiting), newest first. */
  waiting: ReportJob[];
  /** Share of finished jobs that failed, 0..1 (NaN when none finished). */
  failureRate: number;
  /** Failed jobs grouped by reason, most frequent first. */
  reasons: Array<{ reason: string; count: number; services: ReportService[]; last: string }>;
}

const zeroPhases = (): Record<Phase, number> => Object.fromEntries(REPORT_PHASES.map((p) => [p, 0])) as Record<Phase, number>;
const zeroServices = (): Record<ReportService, number> => ({ ddm: 0, dds: 0, drs: 0 });

/** Every UTC day from the window's start to its end, both included. */
export function daysBetween(startIso: string, endIso: string): string[] {
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return [];
  const days: string[] = [];
  for (let t = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), new Date(start).getUTCDate()); t <= end; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

const newest = (a: ReportJob, b: ReportJob): number => b.created.localeCompare(a.created) || a.id.localeCompare(b.id);

export function buildReport(input: ReportInput): ReportData {
  const byPhase = zeroPhases();
  const byService = Object.fromEntries(REPORT_SERVICES.map((s) => [s, { total: 0, byPhase: zeroPhases() }])) as ReportData["byService"];
  const days = new Map(daysBetween(input.window.start, input.window.end).map((date) => [date, { date, jobs: 0, failed: zeroServices() }]));
  for (const job of input.jobs) {
    byPhase[job.phase] = (byPhase[job.phase] ?? 0) + 1;
    const s = byService[job.service];
    s.total++;
    s.byPhase[job.phase] = (s.byPhase[job.phase] ?? 0) + 1;
    // A job whose creation time could not be read counts in the totals but on no day.
    const day = days.get(job.created.slice(0, 10));
    if (!day) continue;
    day.jobs++;
    if (job.phase === "failed") day.failed[job.service]++;
  }
  const finished = byPhase.succeeded + byPhase.failed + byPhase.canceled;
  return {
    ...input,
    total: input.jobs.length,
    byPhase,
    byService,
    days: [...days.values()],
    failed: input.jobs.filter((j) => j.phase === "failed").sort(newest),
    waiting: input.jobs.filter((j) => j.phase === "waiting").sort(newest),
    failureRate: finished ? byPhase.failed / finished : Number.NaN,
    reasons: groupReasons(input.jobs.filter((j) => j.phase === "failed")),
  };
}

/** Failed jobs by reason (trimmed; "" when the cloud gave none), most frequent first, then most recent. */
export function groupReasons(failed: ReportJob[]): ReportData["reasons"] {
  const groups = new Map<string, { reason: string; count: number; services: Set<ReportService>; last: string }>();
  for (const j of failed) {
    const reason = j.failReason.trim();
    const g = groups.get(reason) ?? { reason, count: 0, services: new Set<ReportService>(), last: "" };
    g.count++;
    g.services.add(j.service);
    if (j.created > g.last) g.last = j.created;
    groups.set(reason, g);
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || b.last.localeCompare(a.last) || a.reason.localeCompare(b.reason))
    .map((g) => ({ ...g, services: REPORT_SERVICES.filter((s) => g.services.has(s)) }));
}

/** The report as data for scripts (`-o json`). */
export function reportJson(d: ReportData): Record<string, unknown> {
  return {
    generatedAt: d.generatedAt.toISOString(),
    window: d.window,
    scope: d.scope,
    gaps: d.gaps,
    total: d.total,
    byPhase: d.byPhase,
    byService: d.byService,
    days: d.days,
    failureRate: Number.isNaN(d.failureRate) ? null : d.failureRate,
    ...(d.projects ? { projects: d.projects } : {}),
    reasons: d.reasons,
    failed: d.failed,
    waiting: d.waiting,
  };
}
