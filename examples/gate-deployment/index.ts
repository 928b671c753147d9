/**
 * Deploy an application only after its DDM shard migration finished.
 *
 *   pulumi config set migrationJobId 92370d30-3ddc-4e05-b8ab-51662d824318
 *   pulumi config set otcjobs:region eu-de
 *   pulumi config set otcjobs:projectId 0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10
 *   pulumi config set --secret otcjobs:secretKey ...   # with otcjobs:accessKey, or OS_* variables
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { getDdmJobOutput, JobGate } from "pulumi-otc-jobs";

const config = new pulumi.Config();
const migrationJobId = config.require("migrationJobId");

// Waits during `pulumi up` until the migration job completed (up to 45 minutes), and fails the
// deployment, naming the job and its reason, if it failed or was canceled.
const migration = new JobGate("shard-migration", {
  service: "ddm",
  jobIds: [migrationJobId],
  timeout: "45m",
  pollInterval: "15s",
});

// The job as it is now (read at every preview and update).
const job = getDdmJobOutput({ jobId: migrationJobId });

/** Stands in for whatever must wait for the migration: a CCE deployment, a DNS switch, ... */
class ApplicationRelease extends pulumi.ComponentResource {
  declare public readonly database: pulumi.Output<string>;
  constructor(name: string, args: { database: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
    super("example:index:ApplicationRelease", name, {}, opts);
    this.database = pulumi.output(args.database);
    this.registerOutputs({ database: this.database });
  }
}

const release = new ApplicationRelease("orders-service", { database: job.instanceName }, { dependsOn: [migration] });

export const migrationStatus = job.status;
export const migrationPhase = job.phase;
export const gateCheckedAt = migration.checkedAt;
export const releasedAgainst = release.database;
