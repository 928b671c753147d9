/**
 * schema.json drift: the committed document equals the one built from the core, and the built one
 * agrees with the core's own argument schemas, gate inputs and stack-config keys.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { queryId } from "../../provider/functions";
import { FUNCTIONS, getDdmJobFn, getDdmJobsFn, getDdsJobFn, getDdsJobsFn, getDrsJobsFn } from "../../provider/functions/table";
import type { FunctionTypes } from "../../provider/functions";
import type * as sdk from "../../sdk";
import { DDM_MAX_PAGE_SIZE } from "../../provider/services/ddm";
import { DDS_MAX_PAGE_SIZE } from "../../provider/services/dds";
import { windowedListArgsSchema } from "../../provider/services/filters";
import { GATE_INPUT_KEYS, isSecretKey, SECRET_GATE_INPUTS, STACK_CONFIG_KEYS } from "../../provider/gate";
import { gateInputShape } from "../../provider/gate/schema";
import { buildSchema } from "../../plugin/schema";

const ROOT = join(__dirname, "..", "..");
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
type Spec = { properties: Record<string, { secret?: boolean; description?: string }>; required?: string[] };
const schema = buildSchema(version) as {
  name: string;
  config: { variables: Record<string, { secret?: boolean; description: string }> };
  functions: Record<string, { inputs: Spec; outputs: Spec; description: string }>;
  resources: Record<string, { inputProperties: Spec["properties"]; requiredInputs: string[]; properties: Spec["properties"] }>;
  types: Record<string, Spec>;
  language: Record<string, Record<string, unknown>>;
};

it("the committed plugin/schema.json is the schema built from the core (run `npm run plugin:schema`)", () => {
  expect(JSON.parse(readFileSync(join(ROOT, "plugin", "schema.json"), "utf8"))).toEqual(schema);
});

describe("schema drift against the core", () => {
  it("each function's inputs are exactly its argument schema's keys, required where the schema requires", () => {
    expect(Object.keys(schema.functions)).toEqual(FUNCTIONS.map((f) => f.token));
    for (const fn of FUNCTIONS) {
      const shape = fn.args.shape as Record<string, z.ZodType>;
      const spec = schema.functions[fn.token]!;
      expect(Object.keys(spec.inputs.properties)).toEqual(Object.keys(shape));
      expect(spec.inputs.required).toEqual(Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success));
      for (const [k, p] of Object.entries(spec.inputs.properties)) expect({ k, described: Boolean(p.description) }).toEqual({ k, described: true });
    }
  });

  it("the windowed functions take only arguments the core's listings take", () => {
    for (const [fn, max, service] of [
      [getDdmJobsFn, DDM_MAX_PAGE_SIZE, "ddm"],
      [getDdsJobsFn, DDS_MAX_PAGE_SIZE, "dds"],
    ] as const) {
      const listing = Object.keys(windowedListArgsSchema(service, max).shape);
      expect(Object.keys(fn.args.shape).filter((k) => !listing.includes(k))).toEqual([]);
    }
  });

  it("JobGate's inputs are the gate schema's keys; secrets marked; state never holds them", () => {
    const gate = schema.resources["otcjobs:index:JobGate"]!;
    expect(Object.keys(gate.inputProperties)).toEqual(GATE_INPUT_KEYS);
    expect(gate.requiredInputs).toEqual(Object.keys(gateInputShape).filter((k) => !gateInputShape[k as keyof typeof gateInputShape].safeParse(undefined).success));
    expect(Object.keys(gate.inputProperties).filter((k) => gate.inputProperties[k]!.secret)).toEqual(SECRET_GATE_INPUTS);
    for (const k of SECRET_GATE_INPUTS) expect(gate.properties).not.toHaveProperty(k);
  });

  it("config variables are the stack-config keys, with exactly the secret fields marked secret", () => {
    expect(Object.keys(schema.config.variables)).toEqual(STACK_CONFIG_KEYS);
    for (const key of STACK_CONFIG_KEYS) expect({ key, secret: schema.config.variables[key]!.secret ?? false }).toEqual({ key, secret: isSecretKey(key) });
  });

  it("every $ref names a type the schema defines; languages named as the issue asks", () => {
    const refs = [...JSON.stringify(schema).matchAll(/"\$ref":"#\/types\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((r) => !(r in schema.types))).toEqual([]);
    expect(schema.name).toBe("otcjobs");
    expect(schema.language.python!.packageName).toBe("pulumi_otcjobs");
    expect(Object.keys(schema.language).sort()).toEqual(["csharp", "go", "java", "nodejs", "python"]);
    expect((schema as { pluginDownloadURL?: string }).pluginDownloadURL).toBe("github://api.github.com/otc-jobs/pulumi-otcjobs");
  });
});

describe(queryId.name, () => {
  it("is the same for the same arguments in any order, and differs otherwise", () => {
    expect(queryId("getDdmJobs", { startTime: "7d", name: "a" })).toBe(queryId("getDdmJobs", { name: "a", startTime: "7d", id: undefined }));
    expect(queryId("getDdmJobs", { startTime: "7d" })).not.toBe(queryId("getDdsJobs", { startTime: "7d" }));
  });
});

// Compile-time drift checks: the written-out argument types equal the table's schemas, and the SDK's
// argument types (less `settings`) equal them too.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Same<A, B> = Equal<{ [K in keyof A]: A[K] }, { [K in keyof B]: B[K] }>;
const argTypes: [
  Same<FunctionTypes["getDdmJobs"]["args"], z.input<typeof getDdmJobsFn.args>>,
  Same<FunctionTypes["getDdsJobs"]["args"], z.input<typeof getDdsJobsFn.args>>,
  Same<FunctionTypes["getDdmJob"]["args"], z.input<typeof getDdmJobFn.args>>,
  Same<FunctionTypes["getDdsJob"]["args"], z.input<typeof getDdsJobFn.args>>,
  Same<FunctionTypes["getDrsJobs"]["args"], z.input<typeof getDrsJobsFn.args>>,
  Same<Omit<sdk.GetDdmJobsArgs, "settings">, FunctionTypes["getDdmJobs"]["args"]>,
  Same<Omit<sdk.GetDdsJobsArgs, "settings">, FunctionTypes["getDdsJobs"]["args"]>,
  Same<Omit<sdk.GetDdmJobArgs, "settings">, FunctionTypes["getDdmJob"]["args"]>,
  Same<Omit<sdk.GetDdsJobArgs, "settings">, FunctionTypes["getDdsJob"]["args"]>,
  Same<Omit<sdk.GetDrsJobsArgs, "settings">, FunctionTypes["getDrsJobs"]["args"]>,
] = [true, true, true, true, true, true, true, true, true, true];
it("argument types agree at compile time (see argTypes)", () => expect(argTypes.every(Boolean)).toBe(true));
