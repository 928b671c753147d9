/**
 * What a `JobGate` takes: one schema, the single source for the SDK's argument type, `check`,
 * `diff`'s keys, the plugin's schema.json and the controller. Validation is unknown-tolerant: in a
 * preview the engine sends the string `UNKNOWN` for values that depend on resources not yet created
 * (a whole input, a list element, a nested field); those are accepted and only what is known is judged.
 */
import { z } from "zod";
import { InvalidArgumentError } from "../errors";
import type { PHASES } from "../jobs";
import type { DB_USE_TYPES } from "../services/drs";
import { gateInputShape, gateInputsSchema } from "./schema";
import { containsUnknown, isUnknown, knownPart, unwrapSecrets } from "./wire";

type Phase = (typeof PHASES)[number];

/**
 * The inputs as a program gives them. Written out (not `z.input<...>`) so public declarations carry
 * no zod types; a type test keeps it equal to the schema's input type.
 */
export interface GateInputs {
  service: "ddm" | "dds" | "drs";
  jobIds?: string[];
  instanceId?: string;
  name?: string | string[];
  status?: string | string[];
  startTime?: string | number;
  endTime?: string | number;
  dbUseType?: (typeof DB_USE_TYPES)[number];
  minJobs?: number;
  targetPhases?: Phase[];
  targetStatuses?: string[];
  failPhases?: Phase[];
  timeout?: string;
  pollInterval?: string;
  notFoundGrace?: string;
  connection?: {
    cloud?: string;
    region?: string;
    projectId?: string;
    projectName?: string;
    domainName?: string;
    userName?: string;
    accessKey?: string;
    authUrl?: string;
    endpoint?: string;
    endpoints?: { ddm?: string; dds?: string; drs?: string; iam?: string };
    insecure?: boolean;
    osCloud?: string;
  };
  credentials?: { token?: string; password?: string; secretKey?: string; securityToken?: string };
}
/** The inputs after validation (the same shape: the schema only checks). */
export type ParsedGateInputs = GateInputs;
export type GateInputKey = keyof GateInputs;
/** Every input, in the schema's order. */
export const GATE_INPUT_KEYS = Object.keys(gateInputShape) as GateInputKey[];
/** Inputs that hold secrets: never compared, never echoed in outputs. */
export const SECRET_GATE_INPUTS: readonly GateInputKey[] = ["credentials"];
/** Inputs that choose which jobs: a change makes another gate (replace), not a re-check (update). */
export const REPLACING_GATE_INPUTS: readonly GateInputKey[] = ["service", "jobIds"];
/** Inputs `diff` compares: every input but secrets (rotating a key does not re-run a gate). */
export const DIFFED_GATE_INPUTS: readonly GateInputKey[] = GATE_INPUT_KEYS.filter((k) => !SECRET_GATE_INPUTS.includes(k));

/**
 * The Node SDK's note to the dynamic provider of which selecting inputs are secret (the provider
 * sees every input in clear); not a JobGate input.
 */
export const SECRET_INPUTS_FIELD = "__secretInputs";

/** Fields Pulumi and the Node SDK add to a dynamic resource's inputs: the serialized provider, output placeholders, the secrets note. */
const PULUMI_FIELDS = new Set(["__provider", "jobs", "summary", "checkedAt", SECRET_INPUTS_FIELD]);

export interface GateFailure {
  property: string;
  reason: string;
}

function pathOf(key: string, path: ReadonlyArray<PropertyKey>): string {
  return [key, ...path].map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/**
 * Validates gate inputs as Pulumi's `check` reports them: each failure names the input. Unknown
 * values pass; a list with an unknown element has its known elements checked; rules across inputs
 * apply only when the inputs they read are known.
 */
export function checkGateInputs(raw: unknown): GateFailure[] {
  if (isUnknown(raw)) return [];
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return [{ property: "inputs", reason: "must be an object" }];
  const inputs = unwrapSecrets(raw) as Record<string, unknown>;
  const failures: GateFailure[] = [];
  const present = (k: GateInputKey) => inputs[k] !== undefined && inputs[k] !== null;
  const known = (k: GateInputKey) => present(k) && !isUnknown(inputs[k]);

  for (const key of Object.keys(inputs)) {
    if (PULUMI_FIELDS.has(key)) continue;
    if (!(key in gateInputShape)) failures.push({ property: key, reason: `is not a JobGate input (inputs: ${GATE_INPUT_KEYS.join(", ")})` });
  }
  for (const key of GATE_INPUT_KEYS) {
    const value = inputs[key];
    if (isUnknown(value)) continue;
    const issues = containsUnknown(value) ? knownIssues(gateInputShape[key], value) : (gateInputShape[key].safeParse(value === null ? undefined : value).error?.issues ?? []);
    for (const i of issues) {
      failures.push(
        i.code === "unrecognized_keys"
          ? { property: pathOf(key, i.path), reason: `${i.keys.join(", ")}: not a field of ${key}` }
          : { property: pathOf(key, i.path), reason: i.message },
      );
    }
  }

  // Across inputs: "given" counts unknowns (they will have a value), "known" needs the value itself.
  const filters = (["instanceId", "name", "status", "startTime"] as const).filter(known);
  if (known("jobIds") && filters.length) {
    failures.push({ property: "jobIds", reason: `select jobs either by jobIds or by filters (${filters.join(", ")}), not both` });
  }
  if (!(["jobIds", "instanceId", "name", "status", "startTime", "minJobs"] as const).some(present)) {
    failures.push({ property: "jobIds", reason: "select jobs by jobIds or by a filter (instanceId, name, status)" });
  }
  if (known("service")) {
    if (inputs.service !== "drs" && known("dbUseType")) failures.push({ property: "dbUseType", reason: "applies to DRS gates only" });
    if (inputs.service === "drs" && known("instanceId")) failures.push({ property: "instanceId", reason: "DRS jobs have no instance id; select by jobIds or name" });
  }
  return failures;
}

/** The list schema inside an optional or a union (`string | string[]`), if any. */
function listSchema(schema: z.ZodType): z.ZodArray<z.ZodType> | undefined {
  if (schema instanceof z.ZodOptional) return listSchema(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodArray) return schema as z.ZodArray<z.ZodType>;
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).map(listSchema).find(Boolean);
  return undefined;
}

/** Issues of a value holding unknowns: a list's known elements one by one (indices kept), an object's known fields. */
function knownIssues(schema: z.ZodType, value: unknown): z.core.$ZodIssue[] {
  const list = Array.isArray(value) ? listSchema(schema) : undefined;
  if (list) {
    return (value as unknown[]).flatMap((e, index) =>
      isUnknown(e) ? [] : (list.element.safeParse(e).error?.issues ?? []).map((i) => ({ ...i, path: [index, ...i.path] })),
    );
  }
  return schema.safeParse(knownPart(value)).error?.issues ?? [];
}
/** Invalid gate inputs: every failure named (`failures`), before any request. */
export class GateInputsError extends InvalidArgumentError {
  override name = "GateInputsError";
  constructor(readonly failures: GateFailure[]) {
    super("JobGate inputs", "JobGate", failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
  }
}

/** Validated inputs (throws `GateInputsError` naming each failure, or when an input is still unknown). */
export function parseGateInputs(raw: unknown): ParsedGateInputs {
  const failures = checkGateInputs(raw);
  if (!failures.length && containsUnknown(raw)) {
    const keys = GATE_INPUT_KEYS.filter((k) => containsUnknown((raw as Record<string, unknown>)[k]));
    failures.push(...keys.map((k) => ({ property: k, reason: "is not known yet (only a preview may leave it unknown)" })));
  }
  if (failures.length) throw new GateInputsError(failures);
  const inputs = unwrapSecrets(raw) as Record<string, unknown>;
  const clean = Object.fromEntries(Object.entries(inputs).filter(([k, v]) => !PULUMI_FIELDS.has(k) && v !== null && v !== undefined));
  return gateInputsSchema.parse(clean) as ParsedGateInputs;
}

export interface GateDiff {
  changes: boolean;
  /** Changed inputs, each `GateInputKey`. */
  changed: GateInputKey[];
  replaces: GateInputKey[];
}

/**
 * What changed between two sets of inputs, over the keys derived from the schema. An unknown new
 * value counts as a change (it may differ once known); secrets are not compared.
 */
export function diffGateInputs(oldInputs: object, newInputs: object): GateDiff {
  const olds = oldInputs as Record<string, unknown>;
  const news = newInputs as Record<string, unknown>;
  const norm = (v: unknown) => JSON.stringify(unwrapSecrets(v) ?? null);
  const changed = DIFFED_GATE_INPUTS.filter((k) => containsUnknown(news[k]) || norm(olds[k]) !== norm(news[k]));
  return { changes: changed.length > 0, changed, replaces: changed.filter((k) => REPLACING_GATE_INPUTS.includes(k)) };
}
