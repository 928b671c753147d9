/**
 * The Pulumi package schema of `otcjobs`, built from the core's definitions: the functions table
 * (`provider/functions.ts`), the gate's input schema (`provider/gate/inputs.ts`) and the stack-config
 * keys (`provider/gate/stackConfig.ts`). The plugin serves it from GetSchema; `plugin/schema.json` is
 * the same document committed for `pulumi package gen-sdk` (a test keeps the two equal).
 */
import { z } from "zod";
import { ENVIRONMENT } from "../provider/config";
import { RECORD_FIELDS, type RecordField } from "../provider/records";
import { FUNCTIONS, type FieldSpec, SHAPES, type ShapeName } from "../provider/functions/table";
import { GATE_DEFAULTS, GATE_OUTPUT_KEYS } from "../provider/gate/run";
import { SECRET_GATE_INPUTS } from "../provider/gate/inputs";
import { gateInputShape } from "../provider/gate/schema";
import { isSecretKey, STACK_CONFIG, STACK_CONFIG_KEYS } from "../provider/gate/stackConfig";

export const PACKAGE = "otcjobs";
/** This repository: the Go SDK's module lives in it (`sdk/go.mod`), the releases carry the plugin's tarballs. */
export const REPOSITORY = "https://github.com/otc-jobs/pulumi-otcjobs";
/** Where the CLI finds a release's tarballs: GitHub releases of the repository (`v<version>`). */
export const PLUGIN_DOWNLOAD_URL = "github://api.github.com/otc-jobs/pulumi-otcjobs";

type JsonSchema = { type?: string | string[]; anyOf?: JsonSchema[]; items?: JsonSchema; enum?: unknown[]; properties?: Record<string, JsonSchema> };
export type PropertySpec = Record<string, unknown>;

const typeToken = (name: string) => `${PACKAGE}:index:${name}`;
const ref = (name: string) => ({ $ref: `#/types/${typeToken(name)}` });

/** A JSON schema (from zod) as a Pulumi schema property type. */
function fromJsonSchema(js: JsonSchema, objectRef?: string): PropertySpec {
  if (js.anyOf) return { oneOf: js.anyOf.map((m) => fromJsonSchema(m, objectRef)) };
  if (Array.isArray(js.type)) return { oneOf: js.type.map((t) => ({ type: t })) };
  if (js.type === "array") return { type: "array", items: fromJsonSchema(js.items ?? {}, objectRef) };
  if (js.type === "object") {
    if (!objectRef) throw new Error("an object argument needs a named type");
    return ref(objectRef);
  }
  if (js.type === "string" || js.type === "number" || js.type === "integer" || js.type === "boolean") return { type: js.type };
  throw new Error(`no schema type for ${JSON.stringify(js)}`);
}

function zodProperty(schema: z.ZodType, description: string, objectRef?: string): PropertySpec {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const values = js.enum ?? js.anyOf?.find((m) => m.enum)?.enum;
  const allowed = values ? ` One of: ${values.map((v) => `\`${String(v)}\``).join(", ")}.` : "";
  return { ...fromJsonSchema(js, objectRef), description: description + allowed };
}

function fieldProperty(f: FieldSpec): PropertySpec {
  if ("ref" in f) return { ...ref(f.ref), description: f.description };
  if (f.type === "array") return { type: "array", items: "ref" in f.items ? ref(f.items.ref) : { type: f.items.type }, description: f.description };
  if (f.type === "map") return { type: "object", additionalProperties: { type: f.of }, description: f.description };
  return { type: f.type, description: f.description };
}

function objectType(properties: Record<string, FieldSpec>, description: string) {
  return {
    type: "object",
    description,
    properties: Object.fromEntries(Object.entries(properties).map(([k, f]) => [k, fieldProperty(f)])),
    required: Object.entries(properties).filter(([, f]) => !f.optional).map(([k]) => k),
  };
}

const isOptional = (s: z.ZodType) => s.safeParse(undefined).success;

function configVariables(): Record<string, PropertySpec> {
  return Object.fromEntries(
    STACK_CONFIG_KEYS.map((key) => {
      const spec = STACK_CONFIG[key];
      const type = spec.kind === "boolean" ? { type: "boolean" } : spec.kind === "endpoints" ? ref("Endpoints") : { type: "string" };
      const env = ENVIRONMENT[key as keyof typeof ENVIRONMENT];
      return [key, { ...type, description: spec.description, ...(isSecretKey(key) ? { secret: true } : {}), ...(env ? { defaultInfo: { environment: env } } : {}) }];
    }),
  );
}

const RECORD_DOCS: Record<RecordField, string> = {
  service: "`ddm`, `dds` or `drs`.",
  id: "Job id.",
  name: "Task name.",
  status: "The API's status, verbatim.",
  phase: "Normalized phase.",
  created: "Creation time, ISO-8601 UTC.",
  ended: "End time, ISO-8601 UTC, or empty.",
  progress: "Progress like `60%` while running, else empty.",
  instanceId: "DDM/DDS instance id; empty for DRS.",
  instanceName: "DDM/DDS instance name; empty for DRS.",
  dbUseType: "DRS scenario; empty otherwise.",
  failReason: "Why it failed; empty unless failed.",
};

/** What a JobGate input means (its docs, shared with the Node SDK's `JobGateArgs`). */
export const GATE_INPUT_DOCS: Record<keyof typeof gateInputShape, string> = {
  service: "Which service's jobs to wait for.",
  jobIds: "Wait for exactly these jobs (each must appear). Or select by the filters.",
  instanceId: "Filter: jobs of this instance (DDM, DDS).",
  name: "Filter: task names (`migrateLogicDb`, DRS task names).",
  status: "Filter: API statuses.",
  startTime: 'Filter window start (DDM, DDS): ISO-8601, epoch ms, or a duration before now. Default `"7d"`.',
  endTime: "Filter window end (DDM, DDS). Default: now.",
  dbUseType: "DRS scenario; all three are searched when absent.",
  minJobs: "With filters: how many jobs must match. Default 1 (a job that appears late is waited for).",
  targetPhases: 'Phases that count as done. Default `["succeeded"]`.',
  targetStatuses: "API statuses that count as done: a DRS sync never finishes, it reaches `INCRE_TRANSFER_STARTED`.",
  failPhases: 'Phases that fail the deployment at once. Default `["failed", "canceled"]`.',
  timeout: `How long to wait before failing, e.g. \`"45m"\`. Default \`"${GATE_DEFAULTS.timeout}"\`.`,
  pollInterval: `Longest pause between checks. Default \`"${GATE_DEFAULTS.pollInterval}"\`.`,
  notFoundGrace: `How long a listed id may stay unseen before the gate fails (a mistyped id). Default \`"${GATE_DEFAULTS.notFoundGrace}"\`.`,
  connection: "Non-secret connection settings kept in state (else the provider's configuration).",
  credentials: "Credentials for this gate only; always secret. Prefer the provider's configuration.",
};

function gateResource() {
  const inputs = Object.fromEntries(
    Object.entries(gateInputShape).map(([k, s]) => {
      const key = k as keyof typeof gateInputShape;
      const p = zodProperty(s as z.ZodType, GATE_INPUT_DOCS[key], key === "connection" ? "GateConnection" : key === "credentials" ? "GateCredentials" : undefined);
      return [k, SECRET_GATE_INPUTS.includes(key) ? { ...p, secret: true } : p];
    }),
  );
  const outputs: Record<(typeof GATE_OUTPUT_KEYS)[number], PropertySpec> = {
    jobs: { type: "array", items: ref("GateJob"), description: "The selected jobs as last seen." },
    summary: { ...ref("JobSummary"), description: "Counts by phase and status." },
    checkedAt: { type: "string", description: "When the jobs were last checked (ISO-8601)." },
  };
  const stateInputs = Object.fromEntries(Object.entries(inputs).filter(([k]) => !SECRET_GATE_INPUTS.includes(k as keyof typeof gateInputShape)));
  return {
    description:
      "Waits, during `pulumi up`, until the selected jobs reach their target, and fails the deployment naming each failed job and its reason. Resources that must wait depend on it. Runs on create and whenever its inputs change (not in preview); `pulumi refresh` re-reads the jobs.",
    inputProperties: inputs,
    requiredInputs: Object.entries(gateInputShape).filter(([, s]) => !isOptional(s as z.ZodType)).map(([k]) => k),
    properties: { ...stateInputs, ...outputs },
    required: ["service", ...GATE_OUTPUT_KEYS],
  };
}

function gateTypes() {
  const shape = (s: z.ZodType) => ((s instanceof z.ZodOptional ? s.unwrap() : s) as z.ZodObject).shape as Record<string, z.ZodType>;
  const props = (s: z.ZodType, endpointsRef = false) =>
    Object.fromEntries(Object.entries(shape(s)).map(([k, f]) => [k, k === "endpoints" && endpointsRef ? ref("Endpoints") : zodProperty(f, `The \`${k}\` setting.`)]));
  return {
    GateConnection: { type: "object", description: "Non-secret connection settings of a JobGate.", properties: props(gateInputShape.connection, true) },
    GateCredentials: { type: "object", description: "Credentials of a JobGate (secret).", properties: props(gateInputShape.credentials) },
    Endpoints: {
      type: "object",
      description: "Per-service base URLs.",
      properties: Object.fromEntries(["ddm", "dds", "drs", "iam"].map((k) => [k, { type: "string", description: `Base URL of ${k.toUpperCase()}.` }])),
    },
    GateJob: {
      type: "object",
      description: "A job as a JobGate reports it: the core's one job record (every field a string, empty when the service has none).",
      properties: Object.fromEntries(RECORD_FIELDS.map((k) => [k, { type: "string", description: RECORD_DOCS[k] }])),
      required: [...RECORD_FIELDS],
    },
  };
}

/** The whole schema document. */
export function buildSchema(version: string): Record<string, unknown> {
  const types: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SHAPES)) types[typeToken(name)] = objectType(s.properties, s.description);
  for (const [name, t] of Object.entries(gateTypes())) types[typeToken(name)] = t;
  const functions = Object.fromEntries(
    FUNCTIONS.map((fn) => {
      const shape = fn.args.shape as Record<string, z.ZodType>;
      const docs = fn.argDocs as Record<string, string>;
      const outputs =
        "shape" in fn.result
          ? { ...objectType(SHAPES[fn.result.shape as ShapeName].properties, SHAPES[fn.result.shape as ShapeName].description) }
          : objectType(fn.result.properties, `The result of ${fn.name}.`);
      return [
        fn.token,
        {
          description: fn.description,
          inputs: {
            properties: Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, zodProperty(s, docs[k] ?? "")])),
            required: Object.entries(shape).filter(([, s]) => !isOptional(s)).map(([k]) => k),
          },
          outputs,
        },
      ];
    }),
  );
  const variables = configVariables();
  return {
    name: PACKAGE,
    displayName: "OTC / Huawei Cloud jobs",
    version,
    description: "Read DDM, DDS and DRS asynchronous jobs of Open Telekom Cloud and Huawei Cloud, and gate deployments on them.",
    keywords: ["pulumi", "otc", "huaweicloud", "ddm", "dds", "drs", "category/database"],
    license: "Apache-2.0",
    publisher: "otc-jobs",
    homepage: REPOSITORY,
    repository: REPOSITORY,
    // The release's tarballs (plugin/pack.ts names them as the CLI looks them up).
    pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
    meta: { moduleFormat: "(.*)" },
    config: { variables },
    provider: { description: "The otcjobs provider: credentials and endpoints for every function and JobGate.", inputProperties: variables },
    types,
    resources: { [typeToken("JobGate")]: gateResource() },
    functions,
    language: {
      // Floors: what the generated code needs (codegen's own minimums; Python output invokes take InvokeOutputOptions).
      nodejs: { packageName: "pulumi-otc-jobs", dependencies: { "@pulumi/pulumi": "^3.142.0" }, respectSchemaVersion: true },
      python: { packageName: "pulumi_otcjobs", requires: { pulumi: ">=3.231.0,<4.0.0" }, respectSchemaVersion: true },
      go: { importBasePath: "github.com/otc-jobs/pulumi-otcjobs/sdk/go/otcjobs", generateResourceContainerTypes: true, respectSchemaVersion: true },
      csharp: { rootNamespace: "Pulumi", namespaces: { otcjobs: "OtcJobs" }, packageReferences: { Pulumi: "3.*" }, respectSchemaVersion: true },
      java: { basePackage: "com.github.otcjobs", buildFiles: "gradle", dependencies: { "com.pulumi:pulumi": "1.0.0" } },
    },
  };
}
