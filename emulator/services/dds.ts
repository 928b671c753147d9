/** DDS: list tasks (v3.1 `GET /v3.1/{project_id}/jobs`) and one task (v3 `GET /v3/{project_id}/jobs?id=`). */
import { DDS_STATUSES, ddsDetail, ddsItemJson } from "../data/dds";
import { statusAt } from "../data/timeline";
import { ddsError, fail, type HttpReply, itemsReply } from "../errors";
import { Router } from "../router";
import { DAY, utcFromMatch } from "../time";
import { parseNonNegativeInt, queryValue, type HandlerInput, type ServiceDef } from "./types";

const MAX_SPAN_MS = 30 * DAY;

const QUERY_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{4})$/;

/**
 * A v3.1 query time, `yyyy-mm-ddThh:mm:ssZ` where "Z indicates the time zone offset": `Z`, `+0000`
 * or another offset such as `+0800`. Undefined when the text is not one or names no real time.
 */
export function parseDdsQueryTime(text: string): number | undefined {
  const m = QUERY_TIME.exec(text);
  const utc = utcFromMatch(m);
  if (utc === undefined || !m) return undefined;
  const zone = m[7]!;
  if (zone === "Z") return utc;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(3, 5));
  if (hours > 14 || minutes > 59) return undefined;
  return utc - (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

function time(input: HandlerInput, name: "start_time" | "end_time"): number {
  const code = name === "start_time" ? "DBS.280067" : "DBS.280068";
  const label = name === "start_time" ? "start time" : "end time";
  const raw = queryValue(input.query, name);
  if (raw === undefined) fail(ddsError(code, `Invalid ${label}: ${name} is required (yyyy-mm-ddThh:mm:ssZ).`));
  const ms = parseDdsQueryTime(raw);
  if (ms === undefined) fail(ddsError(code, `Invalid ${label}: ${name} must be yyyy-mm-ddThh:mm:ssZ, got "${raw}".`));
  return ms;
}

function paging(input: HandlerInput): { offset: number; limit: number } {
  const rawOffset = queryValue(input.query, "offset");
  const offset = rawOffset === undefined ? 0 : parseNonNegativeInt(rawOffset);
  if (offset === undefined) fail(ddsError("DBS.280440", `Invalid offset: offset must be an integer >= 0, got "${rawOffset}".`));
  const rawLimit = queryValue(input.query, "limit");
  const limit = rawLimit === undefined ? 100 : parseNonNegativeInt(rawLimit);
  if (limit === undefined || limit < 1 || limit > 100) {
    fail(ddsError("DBS.280439", `Invalid limit: limit must be an integer from 1 to 100, got "${rawLimit}".`));
  }
  return { offset, limit };
}

function listJobs(input: HandlerInput): HttpReply {
  const { now, query } = input;
  const start = time(input, "start_time");
  const end = time(input, "end_time");
  if (end <= start) fail(ddsError("DBS.280409", "Invalid date: end_time must be later than start_time."));
  if (end - start > MAX_SPAN_MS) fail(ddsError("DBS.280409", "Invalid date: start_time and end_time must be at most 30 days apart."));
  const status = queryValue(query, "status");
  if (status !== undefined && !(DDS_STATUSES as readonly string[]).includes(status)) {
    fail(ddsError("DBS.200001", `Parameter error: status must be one of ${DDS_STATUSES.join(", ")}, got "${status}".`));
  }
  const { offset, limit } = paging(input);
  const id = queryValue(query, "id");
  const name = queryValue(query, "name");
  const filtered = id !== undefined || name !== undefined || status !== undefined;
  if (!filtered) {
    // Unfiltered (how a listing pages): only the page is built, not the window.
    const page = input.ctx.jobs.dds.store.pageBetween(start, Math.min(end, now), offset, limit);
    const items = page.jobs.map((job) => ddsItemJson(job, now, input.ctx.options.shapes));
    return itemsReply(input.ctx.options.ddsOmitTotalCount ? { jobs: null } : { jobs: null, total_count: page.total }, "jobs", items);
  }
  const matched = input.ctx.jobs.dds.store.between(start, Math.min(end, now)).filter(
    (job) =>
      (id === undefined || job.id === id) &&
      (name === undefined || job.name === name) &&
      (status === undefined || statusAt(job.timeline, now) === status),
  );
  const jobs = matched.slice(offset, offset + limit).map((job) => ddsItemJson(job, now, input.ctx.options.shapes));
  return itemsReply(input.ctx.options.ddsOmitTotalCount ? { jobs: null } : { jobs: null, total_count: matched.length }, "jobs", jobs);
}

function showJob(input: HandlerInput): HttpReply {
  const id = queryValue(input.query, "id");
  if (id === undefined) fail(ddsError("DBS.200001", "Parameter error: id is required."));
  const job = input.ctx.jobs.dds.store.get(id);
  const { now, ctx } = input;
  // Only jobs of the last month, and only once they have become visible.
  const visible = job !== undefined && job.created + ctx.options.ddsLookupDelayMs <= now && job.created >= now - MAX_SPAN_MS;
  if (!visible) fail(ddsError("DBS.280404", `The job does not exist: ${id}.`, 404));
  return { status: 200, body: { job: ddsDetail(job, now, ctx.options.shapes) } };
}

export const ddsService: ServiceDef = {
  key: "dds",
  router: new Router([
    { method: "GET", pattern: "/v3.1/{project_id}/jobs", handler: { handler: listJobs, auth: true } },
    { method: "GET", pattern: "/v3/{project_id}/jobs", handler: { handler: showJob, auth: true } },
  ]),
  wrongProject: (_ctx, projectId) => ddsError("DBS.280408", `Invalid project ID: ${projectId}.`),
  injectedError: (_ctx, status) => ddsError("DBS.200998", "System busy. Try again later.", status),
};
