/** DRS v3: "Querying Tasks of a Tenant", `POST /v3/{project_id}/jobs`. */
import { DB_USE_TYPES, DRS_STATUSES, NET_TYPES, drsInfoJson, drsStatusAt, type DrsJob } from "../data/drs";
import { drsError, fail, type HttpReply, itemsReply } from "../errors";
import { Router } from "../router";
import type { HandlerInput, ServiceDef } from "./types";

interface Query {
  curPage: number;
  perPage: number;
  dbUseType: string;
  engineType?: string;
  name?: string;
  netType?: string;
  status?: string;
  enterpriseProjectId?: string;
  tags: Array<[string, string]>;
  instanceIds: string[];
}

function invalid(field: string): never {
  return fail(drsError("DRS.M00202", `The value of ${field} is invalid.`));
}

function pageInvalid(detail: string): never {
  return fail(drsError("DRS.M00210", `value of Page is invalid, ${detail}`));
}

function parseBody(input: HandlerInput): Record<string, unknown> {
  const type = input.headers["content-type"] ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    fail(drsError("DRS.M00007", `Unsupported Content-Type "${type}": use application/json.`, 415));
  }
  let body: unknown;
  try {
    body = JSON.parse(input.body.toString("utf8"));
  } catch {
    fail(drsError("DRS.M00200", "The request body is not valid JSON."));
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) fail(drsError("DRS.M00200", "The request body must be a JSON object."));
  return body as Record<string, unknown>;
}

function page(body: Record<string, unknown>, field: "cur_page" | "per_page"): number {
  const v = body[field];
  if (v === undefined || v === null || v === "") fail(drsError("DRS.M00201", `The ${field} parameter is empty.`));
  if (typeof v !== "number" || !Number.isInteger(v)) pageInvalid(`${field} must be an integer, got ${JSON.stringify(v)}.`);
  return v;
}

/** Optional string filter; "" or absent means no filter. */
function filter(body: Record<string, unknown>, field: string, allowed?: readonly string[]): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string" || (allowed && !allowed.includes(v))) invalid(field);
  return v;
}

/**
 * `engine_type`: the reference says it defaults to `mysql` when absent, so a request without it sees
 * only mysql jobs; `""` (as in the reference's example request) means no filter.
 */
function engineFilter(body: Record<string, unknown>): string | undefined {
  const v = body.engine_type;
  if (v === undefined || v === null) return DEFAULT_ENGINE_TYPE;
  if (v === "") return undefined;
  if (typeof v !== "string") invalid("engine_type");
  return v;
}

const DEFAULT_ENGINE_TYPE = "mysql";

function tags(v: unknown): Array<[string, string]> {
  if (v === undefined || v === null) return [];
  // OTC documents an array of {key, value}; HW and gophertelekomcloud a map.
  if (Array.isArray(v)) {
    return v.map((t: unknown): [string, string] => {
      const { key, value } = (typeof t === "object" && t !== null ? t : {}) as { key?: unknown; value?: unknown };
      if (typeof key !== "string" || typeof value !== "string") invalid("tags");
      return [key, value];
    });
  }
  if (typeof v !== "object") invalid("tags");
  return Object.entries(v as Record<string, unknown>).map(([k, val]): [string, string] => (typeof val === "string" ? [k, val] : invalid("tags")));
}

function instanceIds(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === "string")) invalid("instance_ids");
  return v;
}

function parseQuery(body: Record<string, unknown>): Query {
  const curPage = page(body, "cur_page");
  const perPage = page(body, "per_page");
  if (perPage < 0 || perPage > 100) pageInvalid(`per_page must be from 0 to 100, got ${perPage}.`);
  if (curPage < 0) pageInvalid(`cur_page must be >= 0, got ${curPage}.`);
  if (perPage === 0 && curPage > 1) pageInvalid(`cur_page must be 0 or 1 when per_page is 0, got ${curPage}.`);
  const use = body.db_use_type;
  if (use === undefined || use === null || use === "") fail(drsError("DRS.M00201", "The db_use_type parameter is empty."));
  if (typeof use !== "string" || !(DB_USE_TYPES as readonly string[]).includes(use)) invalid("db_use_type");
  filter(body, "service_name"); // accepted; no job carries a service name to compare
  return {
    curPage,
    perPage,
    dbUseType: use,
    engineType: engineFilter(body),
    name: filter(body, "name"),
    netType: filter(body, "net_type", NET_TYPES),
    status: filter(body, "status", DRS_STATUSES),
    enterpriseProjectId: filter(body, "enterprise_project_id"),
    tags: tags(body.tags),
    instanceIds: instanceIds(body.instance_ids),
  };
}

/** `name` matches a job's id exactly or its name as a case-insensitive substring; commas separate several. */
function nameMatches(job: DrsJob, name: string): boolean {
  return name
    .split(",")
    .map((term) => term.trim())
    .filter((term) => term !== "")
    .some((term) => job.id === term || job.name.toLowerCase().includes(term.toLowerCase()));
}

function matches(job: DrsJob, q: Query, now: number): boolean {
  return (
    job.dbUseType === q.dbUseType &&
    (q.engineType === undefined || job.engineType === q.engineType) &&
    (q.netType === undefined || job.netType === q.netType) &&
    (q.enterpriseProjectId === undefined || job.enterpriseProjectId === q.enterpriseProjectId) &&
    (q.name === undefined || nameMatches(job, q.name)) &&
    q.tags.every(([k, v]) => job.tags[k] === v) &&
    (q.instanceIds.length === 0 || job.instanceIds.some((id) => q.instanceIds.includes(id))) &&
    (q.status === undefined || drsStatusAt(job, now) === q.status)
  );
}

/** Only `db_use_type` (and `engine_type`) narrow the query: how a listing pages, cut from a partition. */
function unfiltered(q: Query): boolean {
  return (
    q.netType === undefined && q.enterpriseProjectId === undefined && q.name === undefined &&
    q.status === undefined && q.tags.length === 0 && q.instanceIds.length === 0
  );
}

function listJobs(input: HandlerInput): HttpReply {
  const q = parseQuery(parseBody(input));
  if (unfiltered(q) && q.curPage > 0 && q.perPage > 0) {
    const store = input.ctx.jobs.drs.store;
    const at = (q.curPage - 1) * q.perPage;
    const page =
      q.engineType === undefined
        ? store.partitionPage("dbUseType", (job) => job.dbUseType, q.dbUseType, input.now, at, q.perPage)
        : store.partitionPage("dbUseType+engineType", (job) => `${job.dbUseType}\u0000${job.engineType}`, `${q.dbUseType}\u0000${q.engineType}`, input.now, at, q.perPage);
    return itemsReply({ total_record: page.total, jobs: null }, "jobs", page.jobs.map((job) => drsInfoJson(job, input.now, input.ctx.options.shapes)));
  }
  const matched = input.ctx.jobs.drs.store
    .partition("dbUseType", (job) => job.dbUseType, q.dbUseType)
    .filter((job) => job.created <= input.now && matches(job, q, input.now));
  // cur_page 0 (or per_page 0) returns every match; a page past the end is empty.
  const all = q.curPage === 0 || q.perPage === 0;
  const pageJobs = all ? matched : matched.slice((q.curPage - 1) * q.perPage, q.curPage * q.perPage);
  return itemsReply({ total_record: matched.length, jobs: null }, "jobs", pageJobs.map((job) => drsInfoJson(job, input.now, input.ctx.options.shapes)));
}

export const drsService: ServiceDef = {
  key: "drs",
  router: new Router([{ method: "POST", pattern: "/v3/{project_id}/jobs", handler: { handler: listJobs, auth: true } }]),
  wrongProject: (_ctx, projectId) => drsError("DRS.M00261", `Invalid project ID: ${projectId}.`, 403),
  injectedError: (_ctx, status) => drsError("DRS.M00004", "Internal error. Try again later.", status),
};
