/**
 * `otc-jobs report`: reads every service (of one project, or of every project with --all-projects)
 * over a window (default the last 30 days) and writes one report: HTML for people, JSON for scripts.
 */
import { writeFile } from "node:fs/promises";
import type { AuditFlags } from "../audit";
import { type Io, openClient } from "../context";
import { EXIT, type ExitCode, UsageError } from "../exit";
import type { GlobalOptions } from "../options";
import { buildReport, type ReportInput, type ReportJob, reportJson } from "../report/data";
import { renderHtml } from "../report/html";
import { listJobs } from "./list";

export interface ReportFlags {
  since?: string;
  start?: string;
  end?: string;
  output?: "html" | "json";
  out?: string;
  allProjects?: boolean;
  regions?: string[];
  /** Shown in the page's footer (the CLI's own version). */
  version?: string;
}

type Collected = Omit<ReportInput, "generatedAt">;

async function oneProject(io: Io, globals: GlobalOptions, flags: AuditFlags): Promise<Collected> {
  const { client } = await openClient(globals, io);
  try {
    const r = await listJobs(client, "all", flags);
    const projectId = await client.projectId().catch(() => undefined);
    for (const f of r.failures) io.stderr.write(`otc-jobs: ${f.service.toUpperCase()}: ${f.error.message}\n`);
    return {
      jobs: r.jobs,
      window: r.window ?? { start: "", end: "" },
      scope: [projectId ? `project ${projectId}` : "project", client.region].filter(Boolean).join(", "),
      gaps: r.failures.map((f) => `${f.service.toUpperCase()} could not be read: ${f.error.message}`),
    };
  } finally {
    await client.close();
  }
}

async function everyProject(io: Io, globals: GlobalOptions, flags: AuditFlags): Promise<Collected> {
  const { auditAccount, openAccount, reportFailedProjects } = await import("../audit");
  const { base, clientFor } = await openAccount(globals, io);
  try {
    const result = await auditAccount(base, clientFor, "all", flags);
    const jobs: ReportJob[] = result.outcomes.flatMap((o) => (o.result?.jobs ?? []).map((j) => ({ ...j, project: o.project.name, region: o.project.region })));
    const gaps: string[] = [];
    for (const o of result.outcomes) {
      const label = `project ${o.project.name} (${o.project.id})`;
      if (o.error) {
        io.stderr.write(`otc-jobs: ${label}: ${o.error.message}\n`);
        gaps.push(`${label} could not be read: ${o.error.message}`);
      }
      for (const f of o.result?.failures ?? []) {
        io.stderr.write(`otc-jobs: ${label}: ${f.service.toUpperCase()}: ${f.error.message}\n`);
        gaps.push(`${label}: ${f.service.toUpperCase()} could not be read: ${f.error.message}`);
      }
    }
    reportFailedProjects(io, globals, base, result);
    const regions = [...new Set(result.outcomes.map((o) => o.project.region))];
    return {
      jobs,
      window: result.outcomes.find((o) => o.result?.window)?.result?.window ?? { start: "", end: "" },
      scope: `${result.outcomes.length} ${result.outcomes.length === 1 ? "project" : "projects"} in ${regions.join(", ") || "no region"}`,
      gaps,
      projects: result.outcomes.map((o) => ({
        project: o.project.name,
        region: o.project.region,
        jobs: o.result?.matched ?? 0,
        failed: o.result?.byPhase.failed ?? 0,
        read: o.error === undefined && !o.result?.failures.length,
      })),
    };
  } finally {
    await base.close();
  }
}

export async function runReport(io: Io, globals: GlobalOptions, flags: ReportFlags): Promise<ExitCode> {
  if (flags.regions && !flags.allProjects) throw new UsageError("--regions", "applies with --all-projects only");
  const listFlags: AuditFlags = {
    ...(flags.start === undefined ? { since: flags.since ?? "30d" } : { start: flags.start }),
    ...(flags.end !== undefined ? { end: flags.end } : {}),
    ...(flags.regions ? { regions: flags.regions } : {}),
  };
  const collected = flags.allProjects ? await everyProject(io, globals, listFlags) : await oneProject(io, globals, listFlags);
  const data = buildReport({ ...collected, generatedAt: new Date() });
  const text = flags.output === "json" ? `${JSON.stringify(reportJson(data), null, 2)}\n` : renderHtml(data, { version: flags.version ?? "0.0.0" });
  if (flags.out) {
    await writeFile(flags.out, text);
    io.stderr.write(`otc-jobs: wrote ${flags.out} (${data.total} jobs, ${data.byPhase.failed} failed)\n`);
  } else {
    io.stdout.write(text);
  }
  return data.gaps.length ? EXIT.api : EXIT.ok;
}
