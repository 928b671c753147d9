/**
 * The engine suite's program (tests/engine/scenario.ts), as a user writes it with pulumi-otc-jobs: the
 * dynamic JobGate, the data sources in their Promise and Output forms, requireJobs, and `otcjobs:*`
 * stack config with a secret credential. Compiled with the Pulumi template's tsconfig.
 */
import * as pulumi from "@pulumi/pulumi";
import { getDdmJobOutput, getDdmJobs, getDdmJobsOutput, getDdsJobOutput, getDdsJobsOutput, getDrsJobs, JobGate, requireJobs } from "pulumi-otc-jobs";

export async function program(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const completedJobId = config.require("completedJobId");

  if (config.require("mode") === "fail") {
    // The job already failed: `up` fails naming it, and `dependent` is never created.
    const doomed = new JobGate("doomed", { service: "ddm", jobIds: [config.require("failingJobId")], pollInterval: "1s" });
    new JobGate("dependent", { service: "ddm", jobIds: [completedJobId] }, { dependsOn: [doomed] });
    return {};
  }

  const migration = new JobGate("migration", { service: "ddm", jobIds: [config.require("runningJobId")], pollInterval: "1s", timeout: "10m" });
  const secretGate = new JobGate("secretGate", { service: "dds", jobIds: [config.requireSecret("secretJobId")], pollInterval: "1s" });
  // Unknown in a preview: the gate's outputs exist only once it ran.
  const migrationJobId = migration.jobs.apply((jobs) => jobs[0]!.id);
  const after = new JobGate("after", { service: "ddm", jobIds: [migrationJobId], pollInterval: "1s" }, { dependsOn: [migration] });

  // Promise forms (they run in a preview too: their arguments are known).
  const failedDdm = await getDdmJobs({ startTime: "7d", phase: "failed" });
  const syncs = await getDrsJobs({ dbUseType: "sync" });
  // Output forms; the first two read what the gates saw (no request while that is unknown).
  const migrationNow = getDdmJobOutput({ jobId: migrationJobId });
  const secretNow = getDdsJobOutput({ jobId: secretGate.jobs.apply((jobs) => jobs[0]!.id) });
  const ddsJobs = getDdsJobsOutput({ startTime: "7d" });
  // A resource that waits for a data source's verdict instead of a gate.
  const ready = requireJobs(getDdmJobsOutput({ id: migrationJobId, startTime: "1d" }));
  new JobGate("afterReady", { service: "ddm", jobIds: [completedJobId] }, { dependsOn: ready });

  return {
    migrationStatus: migrationNow.status,
    secretJobStatus: secretNow.status,
    failedDdm: failedDdm.total,
    ddsTotal: ddsJobs.total,
    syncs: syncs.total,
    afterPhase: after.jobs.apply((jobs) => jobs[0]!.phase),
  };
}
