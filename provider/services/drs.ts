import { z } from "zod";
import type { Client } from "../client";
import { DRS_SCENARIOS, type DrsScenario, type Phase, phaseOf, summarize } from "../jobs";
import { intIn, oneOf, parseArgs } from "../validate";
import { idFilter, nameFilter, phaseFilter, single, statusFilter } from "./filters";
import { startListing } from "./listing";
import { isObject, JobReader, type JobPath, type PageRead, pathText, type Raw, type ReadProblem, readListPage, shown, textList } from "./read";
import { collectRead, type JobPages, type ListResult, type ReadListing } from "./windowed";

export const DRS_MAX_PAGE_SIZE = 100;
/** The DRS scenarios (`db_use_type`): real-time migration, synchronization, disaster recovery. */
export const DB_USE_TYPES = DRS_SCENARIOS;
export type DbUseType = DrsScenario;

/**
 * Every DRS engine type either cloud documents: OTC's request values (`mysql`, `mongodb`,
 * `cloudDataGuard-mysql`, `mysql-to-taurus`, `postgresql`), those Huawei Cloud adds to the request
 * (`gaussdbv5`, `mysql-to-kafka`, `taurus-to-kafka`, `gaussdbv5ha-to-kafka`), and the disaster-recovery
 * engines its SDK models return (`cloudDataGuard-cassandra`, `cloudDataGuard-ddm`,
 * `cloudDataGuard-taurus-to-mysql`, `cloudDataGuard-mysql-to-taurus`).
 */
export const DRS_ENGINE_TYPES = [
  "mysql",
  "mongodb",
  "cloudDataGuard-mysql",
  "mysql-to-taurus",
  "postgresql",
  "gaussdbv5",
  "mysql-to-kafka",
  "taurus-to-kafka",
  "gaussdbv5ha-to-kafka",
  "cloudDataGuard-cassandra",
  "cloudDataGuard-ddm",
  "cloudDataGuard-taurus-to-mysql",
  "cloudDataGuard-mysql-to-taurus",
] as const;
export type DrsEngineType = (typeof DRS_ENGINE_TYPES)[number];
export const DRS_NET_TYPES = ["vpn", "vpc", "eip"] as const;

/**
 * What a listing without `engineType` sends as `engine_type`. The API defaults an absent
 * `engine_type` to `mysql`, which would hide every other engine's jobs (all of cloudDataGuard's);
 * the reference's own example request sends `""`, meaning "no filter", and so does this client.
 */
export const DRS_ALL_ENGINES = "";

// ---- request --------------------------------------------------------------------------------

const TAG_KEY = /^[A-Za-z0-9_-]{1,36}$/;
const tagValue = z.string().regex(/^[A-Za-z0-9_-]{0,43}$/, { error: "tag values are at most 43 characters of A-Z a-z 0-9 _ -" });

const listArgsSchema = z
  .object({
    dbUseType: oneOf(DB_USE_TYPES, "DRS db_use_type").optional(),
    engineType: oneOf(DRS_ENGINE_TYPES, "DRS engine type").optional(),
    netType: oneOf(DRS_NET_TYPES, "DRS network type").optional(),
    serviceName: z.string().min(1).optional(),
    enterpriseProjectId: z.string().min(1).optional(),
    tags: z
      .record(z.string(), tagValue)
      .superRefine((tags, ctx) => {
        for (const key of Object.keys(tags)) {
          if (!TAG_KEY.test(key)) ctx.addIssue({ code: "custom", path: [key], message: "tag keys are 1-36 characters of A-Z a-z 0-9 _ -" });
        }
      })
      .optional(),
    instanceIds: z.array(z.string().min(1)).min(1).optional(),
    status: statusFilter("drs").optional(),
    phase: phaseFilter.optional(),
    name: nameFilter.optional(),
    id: idFilter.optional(),
    pageSize: intIn(1, DRS_MAX_PAGE_SIZE).optional(),
    maxItems: intIn(1, 1_000_000).optional(),
    concurrency: intIn(1, 64).optional(),
    signal: z.instanceof(AbortSignal).optional(),
  })
  .strict();
type ParsedArgs = z.output<typeof listArgsSchema>;

/** Arguments of `listDrsJobs` ("Querying Tasks of a Tenant"). DRS has no time window. */
export interface ListDrsJobsArgs {
  /**
   * The scenario: `migration`, `sync` or `cloudDataGuard`. The API requires one per request;
   * without it the client lists all three (three listings in parallel, merged in that order).
   */
  dbUseType?: DbUseType;
  /**
   * One engine type (`mysql`, `cloudDataGuard-mysql`, ... see `DRS_ENGINE_TYPES`). Without it every
   * engine's jobs are listed: the client sends `engine_type: ""` as the reference's example does
   * (an absent `engine_type` would mean `mysql`).
   */
  engineType?: DrsEngineType | (string & {});
  /** Network type: `vpn`, `vpc` or `eip`. */
  netType?: "vpn" | "vpc" | "eip";
  /** Service name (`service_name`). */
  serviceName?: string;
  /** Enterprise project ID (`enterprise_project_id`), where enterprise projects are enabled. */
  enterpriseProjectId?: string;
  /** Tag filter; sent as OTC's `[{key, value}]` list or Huawei Cloud's map. */
  tags?: Record<string, string>;
  /** Huawei Cloud only: jobs of these DB instances. */
  instanceIds?: string[];
  /** DRS statuses (`FULL_TRANSFER_COMPLETE`, `INCRE_TRANSFER_STARTED`, ...). */
  status?: string | string[];
  /** Keep jobs in these normalized phases (`failed`, `running`, ...); applied locally. */
  phase?: Phase | Phase[];
  /** Task names (`DRS-3999-lws`). */
  name?: string | string[];
  /** Job ids. */
  id?: string | string[];
  /** Jobs per request, 1 to 100. Default 100. */
  pageSize?: number;
  /** Stop after this many matching jobs. */
  maxItems?: number;
  /** Pages fetched in parallel (per scenario). Default: the client's (8). */
  concurrency?: number;
  signal?: AbortSignal;
}

// ---- response -------------------------------------------------------------------------------

/**
 * What a task allows (Huawei Cloud's `job_action`, `JobActionResp` in its SDK): the operation
 * commands that can and cannot be executed now, and the one under way.
 */
export interface DrsJobAction {
  /** Commands the task accepts now: `CREATE`, `PRE_CHECK`, `PAUSE`, `START`, `RETRY`, `DELETE`, `SWITCH_OVER`, `STOP_JOB`, ... */
  availableActions: string[];
  /** Commands the task refuses now (same vocabulary). */
  unavailableActions: string[];
  /** The operation under way (`SWITCH_OVER`, `STOP_JOB`); "" when none. */
  currentAction: string;
}

/**
 * A DRS child task (`ChildrenJobInfo`: one per source/target pair of a multi-task job). Every
 * field of the reference's table, camelCased, plus `phase`.
 */
export interface DrsChildJob {
  /** Task ID (`…jb101`-style). "" only when the reply lacked it (then `problems` says so). */
  id: string;
  /** Task name (`DRS-3999-lws`). */
  name: string;
  /**
   * Task status: one of OTC's 23 (`CREATING`, `CONFIGURATION`, `FULL_TRANSFER_STARTED`,
   * `INCRE_TRANSFER_STARTED`, `RELEASE_RESOURCE_COMPLETE`, `CHILD_TRANSFER_*`, ...) or the six
   * Huawei Cloud adds (`REBUILD_NODE_*`, `DELETED`, `NODE_UPGRADE_*`).
   */
  status: string;
  /** The normalized phase of `status`, read by the table of its scenario (`dbUseType`). */
  phase: Phase;
  /** Task description; "" when none. */
  description: string;
  /** Creation time (`create_time`, sent as `yyyy-MM-dd HH:mm:ss` without a zone and read as UTC), ISO-8601 UTC. */
  createTime: string;
  /** Engine type (`mysql`, `cloudDataGuard-mysql`, `cloudDataGuard-ddm`, ...; see `DRS_ENGINE_TYPES`). */
  engineType: string;
  /** Network type: `vpn`, `vpc` or `eip`. */
  netType: string;
  /** Billing tag (`billing_tag`); `"true"`/`"false"` are read as booleans; undefined when absent. */
  billingTag?: boolean;
  /**
   * Direction: `up` (this cloud is the standby / the target: to the cloud), `down` (this cloud is the
   * active one / the source: out of the cloud), `non-dbs` (self-built database; Huawei's SDK spells it `no-dbs`).
   */
  jobDirection: string;
  /** Scenario: `migration`, `sync` or `cloudDataGuard`. */
  dbUseType: string;
  /** Task mode: `FULL_TRANS` (full), `FULL_INCR_TRANS` (full + incremental), `INCR_TRANS` (incremental). */
  taskType: string;
  /** Whether the task runs on the new framework (`node_newFramework`); undefined when absent. */
  nodeNewFramework?: boolean;
  /** Task failure cause (`error_msg`; in the examples though not in OTC's table); "" unless failed. */
  errorMsg: string;
  /** Huawei Cloud's `job_action` object; undefined when the cloud sends none (OTC). */
  jobAction?: DrsJobAction;
  /** Fields the reference does not document (or documented ones sent in a shape that could not be typed), as sent. */
  extra?: Record<string, unknown>;
  /** What the client needs but could not read (a missing id or status, a time that names no date). */
  problems?: string[];
}

/** A DRS task (`JobInfo`): every field of the reference's table, camelCased, plus `phase`. */
export interface DrsJob extends DrsChildJob {
  service: "drs";
  /** Subtasks (`children`, `ChildrenJobInfo` objects); [] when none. */
  children: DrsChildJob[];
}

const CHILD_FIELDS = [
  "id", "name", "status", "description", "create_time", "engine_type", "net_type", "billing_tag", "job_direction",
  "db_use_type", "task_type", "node_newFramework", "error_msg", "job_action",
];
const CHILD_FIELD_SET: ReadonlySet<string> = new Set(CHILD_FIELDS);
const JOB_FIELD_SET: ReadonlySet<string> = new Set([...CHILD_FIELDS, "children"]);

/** `job_action` as Huawei Cloud sends it; anything but an object is kept under `extra` by the caller. */
function readJobAction(v: Raw): DrsJobAction {
  return {
    availableActions: textList(v.available_actions) ?? [],
    unavailableActions: textList(v.unavailable_actions) ?? [],
    currentAction: typeof v.current_action === "string" ? v.current_action : "",
  };
}

/**
 * Reads a task or a child task in one pass, one object per task; `scenario` is the listing's, for a
 * task that omits its own `db_use_type`.
 */
function readTask(r: JobReader, raw: Raw, path: JobPath, scenario: string | undefined): DrsChildJob {
  const id = r.begin(raw, path);
  const status = r.status();
  const dbUseType = r.text("db_use_type");
  const action = r.object("job_action");
  return {
    id,
    name: r.text("name"),
    status,
    phase: phaseOf("drs", status, dbUseType || scenario),
    description: r.text("description"),
    createTime: r.time("create_time"),
    engineType: r.text("engine_type"),
    netType: r.text("net_type"),
    billingTag: r.flag("billing_tag"),
    jobDirection: r.text("job_direction"),
    dbUseType,
    taskType: r.text("task_type"),
    nodeNewFramework: r.flag("node_newFramework"),
    errorMsg: r.text("error_msg"),
    jobAction: action ? readJobAction(action) : undefined,
    // Last: the reads above may have added to them.
    extra: r.extra,
    problems: r.problems,
  };
}

function readJob(r: JobReader, child: JobReader, raw: Raw, path: JobPath, scenario: string | undefined): DrsJob {
  const job = readTask(r, raw, path, scenario) as DrsJob;
  job.service = "drs";
  const rawChildren = raw.children;
  const children: DrsChildJob[] = [];
  if (Array.isArray(rawChildren)) {
    for (let i = 0; i < rawChildren.length; i++) {
      const c: unknown = rawChildren[i];
      const cpath = `${pathText(path)}.children[${i}]`;
      if (isObject(c)) children.push(readTask(child, c, cpath, job.dbUseType || scenario));
      else child.log.add(job.id, cpath, `${shown(c)} is not a child task object; skipped`);
    }
  } else if (rawChildren !== undefined && rawChildren !== null) {
    (job.extra ??= {}).children = rawChildren;
  }
  job.children = children;
  return job;
}

/** Reads one page of `POST /v3/{project_id}/jobs`; `scenario` is the `db_use_type` it asked for. */
export function readDrsPage(json: unknown, scenario?: string, page?: number): PageRead<DrsJob> {
  return readListPage(json, "drs", "total_record", page, (log) => {
    const reader = new JobReader(log, JOB_FIELD_SET);
    const child = new JobReader(log, CHILD_FIELD_SET);
    return (raw, path) => readJob(reader, child, raw, path, scenario);
  });
}

export type ListDrsJobsResult = ListResult<DrsJob>;

// ---- calls ----------------------------------------------------------------------------------

/** One scenario's listing. */
function startDrsListing(client: Client, args: ParsedArgs, dbUseType: DbUseType, problems: ReadProblem[] = []): ReadListing<DrsJob> {
  // The API's `name` matches a task name or id, so it can carry one of either.
  const nameOrId = single(args.name) ?? (args.name ? undefined : single(args.id));
  const serverStatus = single(args.status);
  const tags =
    args.tags === undefined
      ? undefined
      : client.cloud === "otc"
        ? Object.entries(args.tags).map(([key, value]) => ({ key, value }))
        : args.tags;
  const filters = {
    db_use_type: dbUseType,
    engine_type: args.engineType ?? DRS_ALL_ENGINES,
    net_type: args.netType,
    service_name: args.serviceName,
    enterprise_project_id: args.enterpriseProjectId,
    status: serverStatus,
    name: nameOrId,
    tags,
    instance_ids: args.instanceIds,
  };
  const listing = startListing<DrsJob>({
    client,
    service: "drs",
    operation: "ListJobs",
    pageSize: args.pageSize ?? DRS_MAX_PAGE_SIZE,
    concurrency: args.concurrency,
    maxItems: args.maxItems,
    signal: args.signal,
    orderKeyOf: (job) => job.createTime,
    localFilter: {
      status: serverStatus ? undefined : args.status,
      phase: args.phase,
      name: single(args.name) ? undefined : args.name,
      // When `name` went to the API as an id, the id list still narrows the result locally.
      id: args.id && nameOrId !== single(args.id) ? args.id : undefined,
    },
    fetchPage: async (page, call) => {
      const body = { cur_page: page.index + 1, per_page: page.size, ...filters };
      const res = await client.send({ method: "POST", url: client.url("drs", `/v3/${await client.projectId(call.signal)}/jobs`), body }, call);
      const read = readDrsPage(res.json, dbUseType, page.index);
      if (read.problems.length) problems.push(...read.problems);
      return { items: read.jobs, total: read.total };
    },
  });
  return { ...listing, problems };
}

function scenariosOf(args: ParsedArgs): DbUseType[] {
  return args.dbUseType ? [args.dbUseType] : [...DB_USE_TYPES];
}

/**
 * A filter keeping the first job of each id across scenarios: a job belongs to one scenario, so a
 * repeat is the API's; a job without an id cannot be matched and is always kept.
 */
function firstOfEachId(): (job: DrsJob) => boolean {
  const seen = new Set<string>();
  return (job) => {
    if (job.id === "") return true;
    const before = seen.size;
    seen.add(job.id);
    return seen.size !== before;
  };
}

/**
 * Pages of DRS jobs, each job once, filters applied; `problems` holds what could not be read. Without
 * `dbUseType`, the scenarios follow one another (migration, sync, cloudDataGuard), each read in
 * parallel pages. Arguments are checked here, before any request.
 */
export function paginateDrsJobs(client: Client, input: ListDrsJobsArgs = {}): JobPages<DrsJob> {
  const args = parseArgs(listArgsSchema, input, "listDrsJobs");
  const problems: ReadProblem[] = [];
  async function* pages(): AsyncGenerator<DrsJob[]> {
    let left = args.maxItems ?? Number.POSITIVE_INFINITY;
    const scenarios = scenariosOf(args);
    const once = scenarios.length > 1 ? firstOfEachId() : undefined;
    for (const scenario of scenarios) {
      if (left <= 0) return;
      const listing = startDrsListing(client, { ...args, maxItems: Number.isFinite(left) ? left : undefined }, scenario, problems);
      for await (const read of listing.pages) {
        const page = once ? read.filter(once) : read;
        const out = page.length > left ? page.slice(0, left) : page;
        left -= out.length;
        yield out;
        if (left <= 0) return;
      }
    }
  }
  return Object.assign(pages(), { problems });
}

/**
 * Every DRS job: of one `dbUseType`, or of all three scenarios when it is absent (listed in
 * parallel and merged in the order migration, sync, cloudDataGuard; `total` is their sum). DRS
 * lists have no window, so jobs created while the listing runs shift the pages; the listing
 * reconciles them (see `paginate`).
 */
export async function listDrsJobs(client: Client, input: ListDrsJobsArgs = {}): Promise<ListDrsJobsResult> {
  // Checked once, before any request.
  const args = parseArgs(listArgsSchema, input, "listDrsJobs");
  const scenarios = scenariosOf(args);
  if (scenarios.length === 1) return collectRead(startDrsListing(client, args, scenarios[0]!));
  const parts = await Promise.all(scenarios.map((s) => collectRead(startDrsListing(client, args, s))));
  const once = firstOfEachId();
  const jobs: DrsJob[] = [];
  for (const part of parts) {
    for (const job of part.jobs) {
      if (args.maxItems !== undefined && jobs.length >= args.maxItems) break;
      if (once(job)) jobs.push(job);
    }
  }
  return {
    jobs,
    total: parts.reduce((sum, p) => sum + p.total, 0),
    summary: summarize(jobs),
    problems: parts.flatMap((p) => p.problems),
  };
}
