import { z } from "zod";
import type { Client } from "../client";
import { type Phase, phaseOf } from "../jobs";
import { normalizeApiTime } from "../time";
import { intIn, oneOf, parseArgs, parseResponse, text } from "../validate";
import { idFilter, phaseFilter, nameFilter, single, statusFilter } from "./filters";
import { type CollectedJobs, collectListing, type Listing, startListing } from "./listing";

export const DRS_MAX_PAGE_SIZE = 100;
export const DB_USE_TYPES = ["migration", "sync", "cloudDataGuard"] as const;
export type DbUseType = (typeof DB_USE_TYPES)[number];
/** OTC's documented engine types plus those Huawei Cloud adds. */
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
] as const;
export const DRS_NET_TYPES = ["vpn", "vpc", "eip"] as const;

// ---- request --------------------------------------------------------------------------------

const TAG_KEY = /^[A-Za-z0-9_-]{1,36}$/;
const tagValue = z.string().regex(/^[A-Za-z0-9_-]{0,43}$/, { error: "tag values are at most 43 characters of A-Z a-z 0-9 _ -" });

const listArgsSchema = z
  .object({
    dbUseType: oneOf(DB_USE_TYPES, "DRS db_use_type"),
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

/** Arguments of `listDrsJobs` ("Querying Tasks of a Tenant"). DRS has no time window. */
export interface ListDrsJobsArgs {
  /** Required by the API: `migration`, `sync` or `cloudDataGuard`. */
  dbUseType: DbUseType;
  /** `mysql` (the API's default), `mongodb`, `postgresql`, ... */
  engineType?: string;
  netType?: "vpn" | "vpc" | "eip";
  serviceName?: string;
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
  /** Pages fetched in parallel. Default: the client's (8). */
  concurrency?: number;
  signal?: AbortSignal;
}

// ---- response -------------------------------------------------------------------------------

const common = {
  id: z.string(),
  name: text,
  status: z.string(),
  description: text,
  create_time: text,
  engine_type: text,
  net_type: text,
  billing_tag: z.boolean().nullish(),
  job_direction: text,
  db_use_type: text,
  task_type: text,
  node_newFramework: z.boolean().nullish(),
  error_msg: text,
  job_action: text,
};
const childSchema = z.object(common);
const jobSchema = z.object({ ...common, children: z.array(childSchema).nullish() });
const listResponseSchema = z.object({
  total_record: z.number().int().nonnegative().nullish(),
  jobs: z.array(jobSchema).nullish(),
});

/** A DRS child task (one per source/target pair of a multi-task job). */
export interface DrsChildJob {
  id: string;
  name: string;
  status: string;
  phase: Phase;
  description: string;
  /** ISO-8601; DRS sends `yyyy-MM-dd HH:mm:ss` without a zone, read as UTC. */
  createTime: string;
  engineType: string;
  netType: string;
  billingTag?: boolean;
  /** `up`, `down`, or `non-dbs` (self-built database). */
  jobDirection: string;
  dbUseType: string;
  /** `FULL_TRANSFER`, `FULL_INCR_TRANS` or `INCR_TRANS`. */
  taskType: string;
  nodeNewFramework?: boolean;
  /** Empty unless failed. */
  errorMsg: string;
  /** Huawei Cloud only. */
  jobAction: string;
}

/** A DRS task: the API's fields camelCased plus the normalized phase. */
export interface DrsJob extends DrsChildJob {
  service: "drs";
  children: DrsChildJob[];
}

function toChild(raw: z.output<typeof childSchema>): DrsChildJob {
  return {
    id: raw.id,
    name: raw.name,
    status: raw.status,
    phase: phaseOf("drs", raw.status),
    description: raw.description,
    createTime: normalizeApiTime(raw.create_time),
    engineType: raw.engine_type,
    netType: raw.net_type,
    billingTag: raw.billing_tag ?? undefined,
    jobDirection: raw.job_direction,
    dbUseType: raw.db_use_type,
    taskType: raw.task_type,
    nodeNewFramework: raw.node_newFramework ?? undefined,
    errorMsg: raw.error_msg,
    jobAction: raw.job_action,
  };
}

function toJob(raw: z.output<typeof jobSchema>): DrsJob {
  return { service: "drs", ...toChild(raw), children: (raw.children ?? []).map(toChild) };
}

export type ListDrsJobsResult = CollectedJobs<DrsJob>;

// ---- calls ----------------------------------------------------------------------------------

function startDrsListing(client: Client, input: ListDrsJobsArgs): Listing<DrsJob> {
  const args = parseArgs(listArgsSchema, input, "listDrsJobs");
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
    db_use_type: args.dbUseType,
    engine_type: args.engineType,
    net_type: args.netType,
    service_name: args.serviceName,
    enterprise_project_id: args.enterpriseProjectId,
    status: serverStatus,
    name: nameOrId,
    tags,
    instance_ids: args.instanceIds,
  };
  return startListing<DrsJob>({
    client,
    service: "drs",
    operation: "ListJobs",
    pageSize: args.pageSize ?? DRS_MAX_PAGE_SIZE,
    concurrency: args.concurrency,
    maxItems: args.maxItems,
    signal: args.signal,
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
      const parsed = parseResponse(listResponseSchema, res.json, "drs", "ListJobs");
      return { items: (parsed.jobs ?? []).map(toJob), total: parsed.total_record ?? undefined };
    },
  });
}

/** Pages of DRS jobs, each job once, filters applied. */
export function paginateDrsJobs(client: Client, args: ListDrsJobsArgs): AsyncGenerator<DrsJob[]> {
  return startDrsListing(client, args).pages;
}

/**
 * Every DRS job of one `dbUseType`. DRS lists have no window, so jobs created while the listing
 * runs shift the pages; the listing reconciles them (see `paginate`).
 */
export async function listDrsJobs(client: Client, args: ListDrsJobsArgs): Promise<ListDrsJobsResult> {
  return collectListing(startDrsListing(client, args));
}
