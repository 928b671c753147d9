/**
 * The tolerant reader's vocabulary, shared by the three services' hand-written job readers.
 *
 * Policy: only what the client itself relies on is checked (a job's `id` and `status`, and the
 * times it normalizes); every other field is taken as the clouds send it, coerced where the intent
 * is plain (`"false"` for a boolean, `7` for a string), and anything undocumented is kept under
 * `extra`. Nothing here throws for one odd job: a job that lacks what the client needs is returned
 * with what could be read, and each shortfall becomes a `ReadProblem` on the listing's result and
 * on the job itself (`problems`), so it is never lost silently and never aborts the listing.
 *
 * The readers run once per job on the hot path, so they are plain code, not a schema library:
 * one object allocated per job (plus `extra`/`problems` only when there is something to keep).
 */
import { ResponseShapeError, type ServiceName } from "../errors";
import { parseApiTime } from "../time";

/** Something a reply did not say the way the reference documents it, and what the reader did. */
export interface ReadProblem {
  service: ServiceName;
  /** The job's id when it could be read, else "". */
  jobId: string;
  /** Where in the reply: `jobs[3].status`, `jobs[0].children[1].id`, `total_record`. */
  path: string;
  /** Which page of the listing (0-based); absent for single-job calls. */
  page?: number;
  /** What is wrong and how it was read: `missing; read as ""`. */
  message: string;
}

/** Collects problems for one reply (one page). */
export class ProblemLog {
  readonly list: ReadProblem[] = [];
  constructor(
    readonly service: ServiceName,
    readonly page?: number,
  ) {}
  add(jobId: string, path: string, message: string): string {
    this.list.push(this.page === undefined ? { service: this.service, jobId, path, message } : { service: this.service, jobId, path, message, page: this.page });
    return message;
  }
}

/** A JSON value as the reader may meet it. */
export type Raw = Record<string, unknown>;

export const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** How a value looks in a message: short, never the whole of a big one. */
export function shown(v: unknown): string {
  if (v === undefined) return "absent";
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A documented text field: a string as sent; null or absent as ""; a number or boolean as its
 * text. Anything else (an object, an array) yields undefined: the caller keeps it under `extra`.
 */
export function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** A documented boolean: `true`/`false`, or their text; undefined when absent or unreadable. */
export function flag(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** A documented list of strings; null or absent is []; non-string items are kept as their text. */
export function textList(v: unknown): string[] | undefined {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) return typeof v === "string" ? (v === "" ? [] : [v]) : undefined;
  let out: string[] | undefined;
  for (let i = 0; i < v.length; i++) {
    const item = v[i];
    if (typeof item !== "string") {
      out ??= v.slice(0, i) as string[];
      const t = text(item);
      if (t !== undefined) out.push(t);
    } else if (out) out.push(item);
  }
  return out ?? (v as string[]);
}

/** A count: a whole number ≥ 0, or its text; undefined otherwise. */
export function count(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === "string" && /^\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}

/**
 * Keys of `raw` that are not in `known`, with their values: what a newer API version sends and this
 * version does not document. Undefined when there are none (the usual case, and free of allocation).
 */
export function extraFields(raw: Raw, known: ReadonlySet<string>): Raw | undefined {
  let extra: Raw | undefined;
  for (const key in raw) {
    if (!known.has(key) && Object.hasOwn(raw, key)) (extra ??= {})[key] = raw[key];
  }
  return extra;
}

/** The `jobs` array of a list reply; a reply that is not an object, or whose `jobs` is not a list, fails the page. */
export function jobsOf(json: unknown, service: ServiceName, operation: string): unknown[] {
  if (!isObject(json)) throw new ResponseShapeError(service, operation, "", `expected a JSON object, got ${shown(json)}`);
  const jobs = json.jobs;
  if (jobs === undefined || jobs === null) return [];
  if (!Array.isArray(jobs)) throw new ResponseShapeError(service, operation, "jobs", `expected a list of jobs, got ${shown(jobs)}`);
  return jobs;
}

/** The `job` object of a single-job reply; without one there is no job to return, and the call fails. */
export function singleJobOf(json: unknown, service: ServiceName, operation: string): Raw {
  const job = isObject(json) ? json.job : undefined;
  if (!isObject(job)) throw new ResponseShapeError(service, operation, "job", `expected the job object, got ${shown(job)}`);
  return job;
}

/** A reply's total (`total`, `total_count`, `total_record`); an unreadable one is reported and ignored. */
export function totalOf(json: Raw, key: string, log: ProblemLog): number | undefined {
  const v = json[key];
  if (v === undefined || v === null) return undefined;
  const n = count(v);
  if (n === undefined) log.add("", key, `${shown(v)} is not a count; the listing reads until a short page instead`);
  return n;
}

/**
 * Reads a page of jobs: each element through `readJob`; an element that is not an object cannot be
 * a job and is reported (with its position), never returned as one.
 */
export function readJobs<J>(items: unknown[], log: ProblemLog, readJob: (raw: Raw, path: JobPath) => J): J[] {
  const out: J[] = [];
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    // The position, not its text: the path is only written out when there is a problem to name.
    if (isObject(raw)) out.push(readJob(raw, i));
    else log.add("", pathText(i), `${shown(raw)} is not a job object; skipped`);
  }
  return out;
}

/** Where a job sits in its reply: its index in `jobs`, or a written-out path (`job`, `jobs[2].children[0]`). */
export type JobPath = number | string;

export const pathText = (path: JobPath): string => (typeof path === "number" ? `jobs[${path}]` : path);

/**
 * One listing's pool of texts that repeat from job to job (task names, statuses, instances,
 * progress): per field, the few values seen last. A value found there is shared by every job that
 * has it, so the copy JSON.parse made for each job dies young instead of being held (and copied by
 * the GC) once per job. A short list compared with `===` (length first, then characters) instead
 * of a hash map: JSON.parse's strings carry no hash yet, and hashing five of them per job cost more
 * than it saved.
 */
export type TextPool = Map<string, string[]>;

/** Values kept per field, most recent first. */
const POOL_DEPTH = 8;

/**
 * Reads the fields of one job after another (one instance per page and nesting level, reset by
 * `begin`), keeping what it could not type under `extra` and what the client needs but could not
 * read in `problems`.
 */
export class JobReader {
  private raw: Raw = {};
  private path: JobPath = "";
  /** The id read by `begin` ("" when missing). */
  id = "";
  extra: Raw | undefined;
  problems: string[] | undefined;

  constructor(
    readonly log: ProblemLog,
    private readonly known: ReadonlySet<string>,
    private readonly pool?: TextPool,
  ) {}

  private pooled(key: string, t: string): string {
    if (!this.pool || t.length === 0) return t;
    let recent = this.pool.get(key);
    if (!recent) this.pool.set(key, (recent = []));
    for (let i = 0; i < recent.length; i++) {
      const kept = recent[i]!;
      if (kept === t) {
        if (i > 0) {
          recent[i] = recent[0]!;
          recent[0] = kept;
        }
        return kept;
      }
    }
    if (recent.length < POOL_DEPTH) recent.push(t);
    else recent[POOL_DEPTH - 1] = t;
    return t;
  }

  /** Starts a job: resets the state, collects undocumented fields, reads the id. */
  begin(raw: Raw, path: JobPath): string {
    this.raw = raw;
    this.path = path;
    this.problems = undefined;
    this.extra = extraFields(raw, this.known);
    const v = raw.id;
    if (typeof v === "string" && v !== "") this.id = v;
    else if (typeof v === "number" && Number.isFinite(v)) this.id = String(v);
    else {
      this.id = "";
      this.problem("id", `id is ${shown(v)}; read as "" (the job cannot be told apart or looked up)`);
    }
    return this.id;
  }

  private problem(field: string, message: string): void {
    this.log.add(this.id, `${pathText(this.path)}.${field}`, message);
    (this.problems ??= []).push(message);
  }

  private keep(key: string): void {
    (this.extra ??= {})[key] = this.raw[key];
  }

  /** The status the phase is read from; without one the job reads as "" (phase unknown: not done). */
  status(): string {
    const v = this.raw.status;
    if (typeof v === "string" && v !== "") return this.pooled("status", v);
    this.problem("status", `status is ${shown(v)}; read as "" (phase unknown: not done)`);
    return "";
  }

  /** A documented text field ("" when null or absent; a mistyped value is kept under `extra`). */
  text(key: string): string {
    const t = text(this.raw[key]);
    if (t !== undefined) return t;
    this.keep(key);
    return "";
  }

  /** A documented text field that repeats across jobs (a task name, an instance): shared through the listing's pool. */
  shared(key: string): string {
    return this.pooled(key, this.text(key));
  }

  /** A documented boolean (undefined when absent or unreadable; an unreadable one is kept under `extra`). */
  flag(key: string): boolean | undefined {
    const v = this.raw[key];
    const b = flag(v);
    if (b === undefined && v !== undefined && v !== null) this.keep(key);
    return b;
  }

  /** A documented list of strings ([] when null or absent). */
  list(key: string): string[] {
    const l = textList(this.raw[key]);
    if (l !== undefined) return l;
    this.keep(key);
    return [];
  }

  /** A documented object field, or undefined (null, absent or not an object; the latter kept under `extra`). */
  object(key: string): Raw | undefined {
    const v = this.raw[key];
    if (isObject(v)) return v;
    if (v !== undefined && v !== null) this.keep(key);
    return undefined;
  }

  /** A documented array field ([] when null or absent; anything else kept under `extra`). */
  array(key: string): unknown[] {
    const v = this.raw[key];
    if (Array.isArray(v)) return v;
    if (v !== undefined && v !== null) this.keep(key);
    return [];
  }

  /**
   * A time the client normalizes to ISO-8601 UTC. "" and null read as "" (the reference sends ""
   * while a job runs); epoch numbers are accepted (milliseconds, or seconds when small). A value
   * that names no real time is kept verbatim and reported, naming the field.
   */
  time(key: string): string {
    const v = this.raw[key];
    if (typeof v === "string") {
      if (v === "") return "";
      const iso = parseApiTime(v);
      if (iso !== undefined) return iso;
      this.problem(key, `${key} ${shown(v)} is not a time (or names no real date); kept as sent`);
      return v;
    }
    if (v === null || v === undefined) return "";
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) return new Date(v < 1e11 ? v * 1000 : v).toISOString();
    this.problem(key, `${key} ${shown(v)} is not a time; read as ""`);
    this.keep(key);
    return "";
  }
}

/** One page as a service's reader saw it. */
export interface PageRead<J> {
  jobs: J[];
  /** The reply's total, when it sent a readable one. */
  total: number | undefined;
  problems: ReadProblem[];
}

/**
 * Reads one list reply: its `jobs` through the reader `makeReader` builds for this page's problem
 * log, and its total from `totalKey`.
 */
export function readListPage<J>(
  json: unknown,
  service: ServiceName,
  totalKey: string,
  page: number | undefined,
  makeReader: (log: ProblemLog) => (raw: Raw, path: JobPath) => J,
): PageRead<J> {
  const items = jobsOf(json, service, "ListJobs");
  const log = new ProblemLog(service, page);
  const jobs = readJobs(items, log, makeReader(log));
  return { jobs, total: totalOf(json as Raw, totalKey, log), problems: log.list };
}
