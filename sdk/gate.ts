import * as pulumi from "@pulumi/pulumi";
import { jobGateProvider } from "../provider/dynamic/jobGate";
import { SECRET_INPUTS_FIELD, SELECTING_GATE_INPUTS } from "../provider/gate";
import type { DbUseType, GateJob, JobSummary, Phase } from "../provider";

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
  /**
   * How long a listed id may stay unseen before the gate fails with `JobNotFoundError` (a mistyped id,
   * the wrong project or region), rather than waiting out `timeout`. A new DDS job can take seconds to
   * appear. Default `"5m"`.
   */
  notFoundGrace?: pulumi.Input<string>;
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
  declare public readonly jobs: pulumi.Output<GateJob[]>;
  /** Counts by phase and status. */
  declare public readonly summary: pulumi.Output<JobSummary>;
  /** When the jobs were last checked (ISO-8601). */
  declare public readonly checkedAt: pulumi.Output<string>;

  constructor(name: string, args: JobGateArgs, opts?: pulumi.CustomResourceOptions) {
    const selecting = SELECTING_GATE_INPUTS.map((k) => args[k]);
    const inputs = {
      ...args,
      credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
      // Pulumi's dynamic-provider host takes no secrets, so the engine marks an output secret when an
      // input of the same name is: this placeholder is secret exactly when a selecting input is, which
      // keeps `jobs` (and the ids in it) secret in state when `jobIds` are. Not in a preview: there the
      // engine answers a dynamic resource's outputs with its inputs, and `jobs` must stay unknown.
      jobs: pulumi.runtime.isDryRun() ? undefined : pulumi.all(selecting).apply(() => null),
      // Which selecting inputs are secret, so the provider (which sees plain values) keeps their values
      // out of its progress lines and errors.
      [SECRET_INPUTS_FIELD]: pulumi.output(
        Promise.all(SELECTING_GATE_INPUTS.map(async (k) => (args[k] !== undefined && (await pulumi.isSecret(pulumi.output(args[k])))) ? [k] : [])).then((ks) => ks.flat()),
      ),
      summary: undefined,
      checkedAt: undefined,
    };
    super(jobGateProvider, name, inputs, opts, "otcjobs", "JobGate");
  }

  /**
   * An existing gate's state, read from the cloud: `id` names the jobs as `<service>:<job-id>[,<job-id>...]`
   * (`ddm:92370d30-3ddc-4e05-b8ab-51662d824318`), the form `pulumi import` takes too.
   */
  public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): JobGate {
    return new JobGate(name, {} as JobGateArgs, { ...opts, id });
  }
}

interface JobsResult {
  jobs: ReadonlyArray<{ id: string; name: string; status: string; phase: Phase }>;
}

export interface RequireJobsOptions<R extends JobsResult> {
  /**
   * Judge only the newest job of each task name (lists are newest first): "the latest run of
   * `migrateLogicDb` succeeded", even when an earlier run of it failed. Default `false`.
   */
  latestPerName?: boolean;
  /** The condition that opens the gate. Default: at least one job, and every (judged) job succeeded. */
  predicate?: (r: R) => boolean;
  /** What the message says is not ready. Default `"jobs are not ready"`. */
  describe?: string;
}

/** The newest job of each name, in list order (lists are newest first). */
function latestPerName<J extends { name: string }>(jobs: readonly J[]): J[] {
  const seen = new Set<string>();
  return jobs.filter((j) => !seen.has(j.name) && Boolean(seen.add(j.name)));
}

/**
 * Gating without a resource: a value for `dependsOn` that resolves when the jobs of a data source's
 * result are ready, and otherwise fails the deployment with a message naming the jobs. Only the
 * resources that depend on it wait or fail; the rest of the program goes ahead.
 *
 * ```ts
 * // The latest run of the migration task succeeded (earlier failed runs do not matter):
 * const ready = requireJobs(getDdmJobsOutput({ name: "migrateLogicDb", startTime: "1d" }), { latestPerName: true });
 * new k8s.apps.v1.Deployment("orders", {...}, { dependsOn: ready });
 * ```
 *
 * Default: at least one job, and every job succeeded. The older form `requireJobs(result, predicate,
 * describe)` still works.
 */
export function requireJobs<R extends JobsResult>(
  result: pulumi.Output<R>,
  options?: RequireJobsOptions<R> | ((r: R) => boolean),
  describe?: string,
): pulumi.Output<pulumi.Resource[]> {
  const o: RequireJobsOptions<R> = typeof options === "function" ? { predicate: options, describe } : { describe, ...options };
  return result.apply((full) => {
    const r = o.latestPerName ? ({ ...full, jobs: latestPerName(full.jobs) } as R) : full;
    const ok = o.predicate ? o.predicate(r) : r.jobs.length > 0 && r.jobs.every((j) => j.phase === "succeeded");
    if (ok) return [];
    const notDone = r.jobs.filter((j) => j.phase !== "succeeded");
    const detail = r.jobs.length === 0 ? "no matching jobs" : notDone.map((j) => `${j.name} ${j.id} is ${j.status}`).join(", ");
    throw new pulumi.RunError(`gate closed: ${o.describe ?? "jobs are not ready"}: ${detail}`);
  });
}
