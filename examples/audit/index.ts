/**
 * Every job that failed in the last 7 days, across DDM, DDS and DRS, as stack outputs.
 *
 *   pulumi config set otcjobs:region eu-de
 *   pulumi config set otcjobs:projectName eu-de
 *   pulumi up && pulumi stack output failedJobs --json
 */
import * as pulumi from "@pulumi/pulumi";
import { getDdmJobsOutput, getDdsJobsOutput, getDrsJobsOutput } from "pulumi-otc-jobs";

const config = new pulumi.Config();
const since = config.get("since") ?? "7d";
const sinceMs = Date.now() - (since.endsWith("d") ? Number(since.slice(0, -1)) * 86_400_000 : 7 * 86_400_000);

const ddm = getDdmJobsOutput({ startTime: since, phase: "failed" });
const dds = getDdsJobsOutput({ startTime: since, phase: "failed" });
// DRS lists have no window: filter by creation time here.
const drs = (["migration", "sync", "cloudDataGuard"] as const).map((dbUseType) => getDrsJobsOutput({ dbUseType, phase: "failed" }));

interface FailedJob {
  service: string;
  id: string;
  name: string;
  status: string;
  at: string;
  reason: string;
}

export const failedJobs: pulumi.Output<FailedJob[]> = pulumi.all([ddm, dds, pulumi.all(drs)]).apply(([d, s, r]) =>
  [
    ...d.jobs.map((j) => ({ service: "ddm", id: j.id, name: j.name, status: j.status, at: j.createdTime, reason: j.failReason })),
    ...s.jobs.map((j) => ({ service: "dds", id: j.id, name: j.name, status: j.status, at: j.createdAt, reason: j.failReason })),
    ...r.flatMap((x) =>
      x.jobs
        .filter((j) => Date.parse(j.createTime) >= sinceMs)
        .map((j) => ({ service: "drs", id: j.id, name: j.name, status: j.status, at: j.createTime, reason: j.errorMsg })),
    ),
  ].sort((a, b) => b.at.localeCompare(a.at)),
);

export const failedCount = failedJobs.apply((jobs) => ({
  ddm: jobs.filter((j) => j.service === "ddm").length,
  dds: jobs.filter((j) => j.service === "dds").length,
  drs: jobs.filter((j) => j.service === "drs").length,
}));
