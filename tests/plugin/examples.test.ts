/**
 * The YAML and Python examples are written against the plugin's schema: every function, resource,
 * argument and property they name exists there, and their arguments pass the same checks the plugin
 * runs (interpolations count as unknown, as in a preview).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { checkGateInputs, UNKNOWN } from "../../provider/gate";
import { checkFunctionArgs, functionByToken } from "../../provider/functions/table";
import { buildSchema } from "../../plugin/schema";

const ROOT = join(__dirname, "..", "..");
const schema = buildSchema("0.0.0") as {
  functions: Record<string, { inputs: { properties: Record<string, unknown> }; outputs: { properties: Record<string, unknown> } }>;
  resources: Record<string, { inputProperties: Record<string, unknown>; properties: Record<string, unknown> }>;
};

const interpolated = (v: unknown): unknown =>
  typeof v === "string" && v.includes("${") ? UNKNOWN : Array.isArray(v) ? v.map(interpolated) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, e]) => [k, interpolated(e)])) : v;

describe("examples/yaml-audit", () => {
  const program = parse(readFileSync(join(ROOT, "examples", "yaml-audit", "Pulumi.yaml"), "utf8")) as {
    runtime: string;
    resources: Record<string, { type: string; properties: Record<string, unknown> }>;
    variables: Record<string, { "fn::invoke": { function: string; arguments: Record<string, unknown> } }>;
    outputs: Record<string, string>;
  };

  it("invokes only schema functions with valid arguments", () => {
    expect(program.runtime).toBe("yaml");
    const invokes = Object.values(program.variables).map((v) => v["fn::invoke"]);
    expect(invokes.length).toBeGreaterThan(0);
    for (const { function: token, arguments: args } of invokes) {
      expect(Object.keys(schema.functions)).toContain(token);
      expect({ token, failures: checkFunctionArgs(functionByToken(token)!, args) }).toEqual({ token, failures: [] });
    }
  });

  it("declares JobGates whose properties pass check", () => {
    const gates = Object.values(program.resources).filter((r) => r.type === "otcjobs:index:JobGate");
    expect(gates.length).toBe(1);
    for (const g of gates) expect(checkGateInputs(interpolated(g.properties))).toEqual([]);
  });

  it("outputs read fields the schema declares", () => {
    for (const [name, expr] of Object.entries(program.outputs)) {
      const [root, field] = expr.replace(/^\$\{|\}$/g, "").split(".");
      const token = program.variables[root!]?.["fn::invoke"].function;
      const props = token ? schema.functions[token]!.outputs.properties : schema.resources["otcjobs:index:JobGate"]!.properties;
      expect({ name, field, declared: field! in props }).toEqual({ name, field, declared: true });
    }
  });
});

describe("examples/python-gate", () => {
  const source = readFileSync(join(ROOT, "examples", "python-gate", "__main__.py"), "utf8");
  const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

  /** Each `otcjobs.<name>(...)` call with its keyword arguments. */
  function calls(): Array<{ name: string; keywords: string[] }> {
    const out: Array<{ name: string; keywords: string[] }> = [];
    for (const m of source.matchAll(/otcjobs\.(\w+)\(/g)) {
      let depth = 1;
      let i = m.index! + m[0].length;
      const start = i;
      while (depth > 0) {
        const c = source[i++];
        if (c === "(") depth++;
        if (c === ")") depth--;
      }
      const body = source.slice(start, i - 1);
      // Top-level keywords only (opts=pulumi.InvokeOutputOptions(depends_on=...) keeps its own).
      const flat = body.replace(/\([^()]*\)/g, "()");
      out.push({ name: m[1]!, keywords: [...flat.matchAll(/(?:^|[,(\s])(\w+)=/g)].map((k) => k[1]!).filter((k) => k !== "opts") });
    }
    return out;
  }

  it("uses the generated SDK's names for the schema's functions and resource, and their arguments", () => {
    const found = calls();
    expect(found.map((c) => c.name).sort()).toEqual(["JobGate", "get_ddm_job_output", "get_ddm_jobs"]);
    for (const c of found) {
      const inputs =
        c.name === "JobGate"
          ? schema.resources["otcjobs:index:JobGate"]!.inputProperties
          : schema.functions[`otcjobs:index:${camel(c.name.replace(/_output$/, ""))}`]!.inputs.properties;
      expect({ call: c.name, unknown: c.keywords.map(camel).filter((k) => !(k in inputs)) }).toEqual({ call: c.name, unknown: [] });
    }
  });
});
