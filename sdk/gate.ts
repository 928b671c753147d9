import * as pulumi from "@pulumi/pulumi";
import { jobGateProvider } from "../provider/dynamic/jobGate";
import type { DbUseType, JobSummary, Phase, JobRecord } from "../provider";

export interface JobGateArgs {
  /** Which service's jobs to wait for. */
  service: pulumi.Input<"ddm" | "dds" | "drs">;
  /** Wait for exactly these jobs (each must appear). Or select by the filters below. */
  jobIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Filter: jobs of this instance (DDM, DDS). */
  instanceId?: pulumi.Input<string>;
  /** Filter: task names (`migrateLogicDb`) or, for DRS, task names. */
  name?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Filter: API statuses. */
  status?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Filter window start (DDM, DDS): ISO-8601, epoch ms, or a duration before now. Default `"7d"`. */
  startTime?: pulumi.Input<string | number>;
  endTime?: pulumi.Input<string | number>;
  /** DRS scenario; all three are searched when absent. */
  dbUseType?: pulumi.Input<DbUseType>;
  /** With filters: how many jobs must match. Default 1 (a job that appears late is waited for). */
  minJobs?: pulumi.Input<number>;
  /** Phases that count as done. Default `["succeeded"]`. */
  targetPhases?: pulumi.Input<pulumi.Input<Phase>[]>;
  /** API statuses that count as done: a DRS sync never finishes, it reaches `INCRE_TRANSFER_STARTED`. */
  targetStatuses?: pulumi.Input<pulumi.Input<string>[]>;
  /** Phases that fail the deployment at once. Default `["failed", "canceled"]`. */
  failPhases?: pulumi.Input<pulumi.Input<Phase>[]>;
  /** How long to wait before failing, e.g. `"45m"`. Default `"30m"`. */
  timeout?: pulumi.Input<string>;
  /** Longest pause between checks. Default `"10s"`. */
  pollInterval?: pulumi.Input<string>;
  /** Non-secret connection settings kept in state (else stack config `otcjobs:*`, env, clouds.yaml). */
  connection?: pulumi.Input<{
    cloud?: string;
    region?: string;
    projectId?: string;
    projectName?: string;
    endpoint?: string;
    endpoints?: { ddm?: string; dds?: string; drs?: string; iam?: string };
    accessKey?: string;
    userName?: string;
    domainName?: string;
  }>;
  /**
   * Credentials for this gate only. Always stored encrypted (wrapped in `pulumi.secret`); prefer
   * stack config (`pulumi config set --secret otcjobs:secretKey ...`) or the environment.
   */
  credentials?: pulumi.Input<{ token?: string; password?: string; secretKey?: string; securityToken?: string }>;
}

/**
 * Waits, during `pulumi up`, until the selected jobs reach their target, and fails the deployment
 * naming each failed job and its reason. Resources that must wait take `dependsOn: gate`.
 * Runs on create and whenever its inputs change (not in preview); `pulumi refresh` re-reads the jobs.
 */
export class JobGate extends pulumi.dynamic.Resource {
  /** The selected jobs as last seen. */
  declare public readonly jobs: pulumi.Output<JobRecord[]>;
  /** Counts by phase and status. */
  declare public readonly summary: pulumi.Output<JobSummary>;
  /** When the jobs were last checked (ISO-8601). */
  declare public readonly checkedAt: pulumi.Output<string>;

  constructor(name: string, args: JobGateArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      ...args,
      credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
      jobs: undefined,
      summary: undefined,
      checkedAt: undefined,
    };
    super(jobGateProvider, name, inputs, opts, "otcjobs", "JobGate");
  }
}

interface JobsResult {
  jobs: ReadonlyArray<{ id: string; name: string; status: string; phase: Phase }>;
}

/**
 * Gating without a resource: a value for `dependsOn` that resolves when `predicate` holds for a
 * data source's result and otherwise fails the deployment with a message naming the jobs. Only the
 * resources that depend on it wait or fail; the rest of the program goes ahead.
 *
 * Default predicate: at least one job, and every job succeeded.
 */
export function requireJobs<R extends JobsResult>(
  result: pulumi.Output<R>,
  predicate: (r: R) => boolean = (r) => r.jobs.length > 0 && r.jobs.every((j) => j.phase === "succeeded"),
  describe = "jobs are not ready",
): pulumi.Output<pulumi.Resource[]> {
  return result.apply((r) => {
    if (predicate(r)) return [];
    const notDone = r.jobs.filter((j) => j.phase !== "succeeded");
    const detail = r.jobs.length === 0 ? "no matching jobs" : notDone.map((j) => `${j.name} ${j.id} is ${j.status}`).join(", ");
    throw new pulumi.RunError(`gate closed: ${describe}: ${detail}`);
  });
}
