/** DDM v3: list tasks (`GET /v3/{project_id}/jobs`) and one task (`GET /v3/{project_id}/jobs/{job_id}`). */
import { ddmDetail, ddmItemJson } from "../data/ddm";
import { ddmError, fail, type HttpReply, itemsReply } from "../errors";
import { Router } from "../router";
import { DAY, offsetTime } from "../time";
import { parseNonNegativeInt, queryValue, type HandlerInput, type ServiceDef } from "./types";

const MAX_AGE_MS = 30 * DAY;

function paramError(input: HandlerInput, msg: string): never {
  return fail(ddmError(input.ctx.options.ddmErrorShape, "DBS.280001", `Parameter error: ${msg}`));
}

function epochMs(input: HandlerInput, name: string): number {
  const raw = queryValue(input.query, name);
  if (raw === undefined) paramError(input, `${name} is required.`);
  const value = parseNonNegativeInt(raw);
  if (value === undefined) paramError(input, `${name} must be a timestamp in milliseconds, got "${raw}".`);
  return value;
}

function integer(input: HandlerInput, name: string, fallback: number, min: number, max: number): number {
  const raw = queryValue(input.query, name);
  if (raw === undefined) return fallback;
  const value = parseNonNegativeInt(raw);
  if (value === undefined || value < min || value > max) {
    paramError(input, `${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

function listJobs(input: HandlerInput): HttpReply {
  const { now } = input;
  const start = epochMs(input, "start_time");
  const end = epochMs(input, "end_time");
  if (start < now - MAX_AGE_MS) {
    paramError(input, `start_time must not be earlier than 30 days ago (${offsetTime(now - MAX_AGE_MS)}), got ${start}.`);
  }
  if (end < start) paramError(input, `end_time (${end}) must not be earlier than start_time (${start}).`);
  const offset = integer(input, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = integer(input, "limit", 10, 1, 128);
  const page = input.ctx.jobs.ddm.store.pageBetween(start, Math.min(end, now), offset, limit);
  const jobs = page.jobs.map((job) => ddmItemJson(job, now, input.ctx.options.shapes));
  return itemsReply({ jobs: null, offset, limit, total: page.total }, "jobs", jobs);
}

function showJob(input: HandlerInput): HttpReply {
  const id = input.params.job_id ?? "";
  const job = input.ctx.jobs.ddm.store.get(id);
  if (!job || job.created > input.now) {
    fail(ddmError(input.ctx.options.ddmErrorShape, "DBS.300400", `Task not found: ${id}.`));
  }
  return { status: 200, body: { job: ddmDetail(job, input.now, input.ctx.options.shapes) } };
}

export const ddmService: ServiceDef = {
  key: "ddm",
  router: new Router([
    { method: "GET", pattern: "/v3/{project_id}/jobs", handler: { handler: listJobs, auth: true } },
    { method: "GET", pattern: "/v3/{project_id}/jobs/{job_id}", handler: { handler: showJob, auth: true } },
  ]),
  wrongProject: (ctx, projectId) => ddmError(ctx.options.ddmErrorShape, "DBS.300375", `Invalid project_id: ${projectId}.`),
  injectedError: (ctx, status) => ddmError(ctx.options.ddmErrorShape, "DBS.300002", "Server failure. Try again later.", status),
};
