/**
 * The reference reading of the three list replies, written independently of the client's hand
 * reader (zod for shapes, a regex and `Date.UTC` round trip for times), slow and plain. The property
 * tests check that the client's fast reader gives exactly this output on every variant.
 */
import { z } from "zod";
import { phaseOf } from "../../provider";

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;

/** ISO UTC of a cloud time string, or undefined when it names no real instant. */
export function referenceTime(text: string): string | undefined {
  const t = text.trim();
  if (/^\d{12,14}$/.test(t)) return new Date(Number(t)).toISOString();
  const m = TIME.exec(t);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const base = new Date(0);
  base.setUTCFullYear(y, mo - 1, d);
  base.setUTCHours(h, mi, s, 0);
  const real =
    base.getUTCFullYear() === y && base.getUTCMonth() === mo - 1 && base.getUTCDate() === d &&
    base.getUTCHours() === h && base.getUTCMinutes() === mi && base.getUTCSeconds() === s;
  if (!real) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== "Z") {
    const digits = zone.replace(":", "");
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3));
    if (oh > 23 || om > 59) return undefined;
    offset = (digits.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  return new Date(base.getTime() + fraction - offset * 60_000).toISOString();
}

const textSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.undefined()]);
const boolSchema = z.union([z.boolean(), z.literal("true"), z.literal("false")]);

/** A list of strings: null/absent is [], one string is a list of it, items read as text, others dropped. */
function refList(v: unknown): string[] | undefined {
  if (v === null || v === undefined) return [];
  if (typeof v === "string") return v === "" ? [] : [v];
  if (!Array.isArray(v)) return undefined;
  return v.flatMap((x: unknown) => {
    const r = textSchema.safeParse(x);
    return r.success ? [r.data === null || r.data === undefined ? "" : String(r.data)] : [];
  });
}

/** One job's reading: fields, undocumented ones, and how many problems. */
class Ref {
  extra: Raw | undefined;
  problems = 0;
  constructor(
    private readonly raw: Raw,
    documented: readonly string[],
  ) {
    for (const [k, v] of Object.entries(raw)) if (!documented.includes(k)) (this.extra ??= {})[k] = v;
  }
  private keep(k: string): void {
    (this.extra ??= {})[k] = this.raw[k];
  }
  id(): string {
    const r = z.union([z.string().min(1), z.number().finite()]).safeParse(this.raw.id);
    if (r.success) return String(r.data);
    this.problems++;
    return "";
  }
  status(): string {
    const r = z.string().min(1).safeParse(this.raw.status);
    if (r.success) return r.data;
    this.problems++;
    return "";
  }
  text(k: string): string {
    const r = textSchema.safeParse(this.raw[k]);
    if (r.success) return r.data === null || r.data === undefined ? "" : String(r.data);
    this.keep(k);
    return "";
  }
  flag(k: string): boolean | undefined {
    const v = this.raw[k];
    const r = boolSchema.safeParse(v);
    if (r.success) return r.data === true || r.data === "true";
    if (v !== undefined && v !== null) this.keep(k);
    return undefined;
  }
  list(k: string): string[] {
    const l = refList(this.raw[k]);
    if (l !== undefined) return l;
    this.keep(k);
    return [];
  }
  time(k: string): string {
    const v = this.raw[k];
    if (v === null || v === undefined || v === "") return "";
    if (typeof v === "string") {
      const iso = referenceTime(v);
      if (iso === undefined) this.problems++;
      return iso ?? v;
    }
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) return new Date(v < 1e11 ? v * 1000 : v).toISOString();
    this.problems++;
    this.keep(k);
    return "";
  }
}

const DDM_FIELDS = ["id", "name", "status", "created_time", "end_time", "process", "instance_id", "instance_name", "fail_reason", "database_name", "operations"];
const DDS_FIELDS = ["id", "name", "instance_id", "instance_name", "status", "progress", "fail_reason", "created_at", "ended_at"];
const DRS_CHILD_FIELDS = [
  "id", "name", "status", "description", "create_time", "engine_type", "net_type", "billing_tag", "job_direction", "db_use_type",
  "task_type", "node_newFramework", "error_msg", "job_action",
];

export interface RefJob {
  job: Record<string, unknown>;
  problems: number;
}

export function referenceDdm(raw: Raw): RefJob {
  const r = new Ref(raw, DDM_FIELDS);
  const id = r.id();
  const status = r.status();
  const job = {
    service: "ddm", id, name: r.text("name"), status, phase: phaseOf("ddm", status),
    createdTime: r.time("created_time"), endTime: r.time("end_time"), process: r.text("process"),
    instanceId: r.text("instance_id"), instanceName: r.text("instance_name"), failReason: r.text("fail_reason"),
    databaseName: r.text("database_name"), operations: r.list("operations"),
  };
  return { job: { ...job, extra: r.extra }, problems: r.problems };
}

export function referenceDds(raw: Raw): RefJob {
  const r = new Ref(raw, DDS_FIELDS);
  const id = r.id();
  const status = r.status();
  const job = {
    service: "dds", id, name: r.text("name"), status, phase: phaseOf("dds", status),
    instanceId: r.text("instance_id"), instanceName: r.text("instance_name"), progress: r.text("progress"),
    failReason: r.text("fail_reason"), createdAt: r.time("created_at"), endedAt: r.time("ended_at"),
  };
  return { job: { ...job, extra: r.extra }, problems: r.problems };
}

function drsTask(raw: Raw, scenario: string | undefined, documented: readonly string[]): { task: Record<string, unknown>; r: Ref } {
  const r = new Ref(raw, documented);
  const id = r.id();
  const status = r.status();
  const dbUseType = r.text("db_use_type");
  const action = raw.job_action;
  let jobAction: unknown;
  if (isObj(action)) {
    const list = (v: unknown) => refList(v) ?? [];
    jobAction = {
      availableActions: list(action.available_actions),
      unavailableActions: list(action.unavailable_actions),
      currentAction: typeof action.current_action === "string" ? action.current_action : "",
    };
  } else if (action !== undefined && action !== null) {
    (r.extra ??= {}).job_action = action;
  }
  const task = {
    id, name: r.text("name"), status, phase: phaseOf("drs", status, dbUseType || scenario), description: r.text("description"),
    createTime: r.time("create_time"), engineType: r.text("engine_type"), netType: r.text("net_type"), billingTag: r.flag("billing_tag"),
    jobDirection: r.text("job_direction"), dbUseType, taskType: r.text("task_type"), nodeNewFramework: r.flag("node_newFramework"),
    errorMsg: r.text("error_msg"), jobAction,
  };
  return { task, r };
}

export function referenceDrs(raw: Raw, scenario: string): RefJob & { childProblems: number } {
  const { task, r } = drsTask(raw, scenario, [...DRS_CHILD_FIELDS, "children"]);
  const rawChildren = raw.children;
  let childProblems = 0;
  const children: Array<Record<string, unknown>> = [];
  if (Array.isArray(rawChildren)) {
    for (const c of rawChildren) {
      if (!isObj(c)) {
        childProblems++;
        continue;
      }
      const child = drsTask(c, (task.dbUseType as string) || scenario, DRS_CHILD_FIELDS);
      childProblems += child.r.problems;
      children.push({ ...child.task, extra: child.r.extra });
    }
  } else if (rawChildren !== undefined && rawChildren !== null) {
    (r.extra ??= {}).children = rawChildren;
  }
  return { job: { service: "drs", ...task, children, extra: r.extra }, problems: r.problems, childProblems };
}

/** A job as the client returned it, with `problems` reduced to a count (messages are the client's to word). */
export function comparable(job: object): { job: Record<string, unknown>; problems: number } {
  const { problems, children, ...rest } = job as Record<string, unknown> & { problems?: string[]; children?: Array<{ problems?: string[] }> };
  const out: Record<string, unknown> = { ...rest };
  if (children) out.children = children.map(({ problems: _p, ...c }) => c);
  return { job: out, problems: problems?.length ?? 0 };
}
