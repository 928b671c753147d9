import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { GateInputs, GateOutputs } from "../gate";
import type { Settings } from "../config";

/**
 * The `JobGate` dynamic provider. Pulumi serializes this object into state and runs it in its
 * dynamic-provider host, so it holds nothing but methods: each one `require`s this package by name
 * at call time (a relative path would not resolve in the host, and captured zod schemas or undici
 * agents cannot be serialized), and credentials come from `configure` (stack config) or the
 * environment when a method runs, never from a capture.
 */
export interface JobGateProvider extends dynamic.ResourceProvider<GateInputs, GateOutputs & GateInputs> {
  /** Stack config seen by `configure`; set at run time in the host, never serialized with a value. */
  stackConfig?: Settings;
}

/** Outputs never echo credentials, even encrypted. */
function withoutCredentials<T extends GateInputs>(inputs: T): Omit<T, "credentials"> {
  const { credentials: _omit, ...rest } = inputs;
  return rest;
}

export const jobGateProvider: JobGateProvider = {
  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    const core = require("pulumi-otc-jobs/provider");
    this.stackConfig = core.settingsFromStackConfig((key: string) => req.config.get(key));
  },

  async check(_olds: GateInputs, news: GateInputs): Promise<dynamic.CheckResult<GateInputs>> {
    const core = require("pulumi-otc-jobs/provider");
    return { inputs: news, failures: core.checkGateInputs(news) };
  },

  async diff(_id: string, olds: GateInputs, news: GateInputs): Promise<dynamic.DiffResult> {
    const keys = ["service", "jobIds", "instanceId", "name", "status", "startTime", "endTime", "dbUseType", "minJobs", "targetPhases", "targetStatuses", "failPhases", "timeout", "pollInterval", "connection"] as const;
    // Credentials are not compared (nor kept in outputs): rotating a key does not re-run a gate.
    const changed = keys.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
    // A gate on other jobs is a different gate; how long to wait is not.
    const replaces = changed.filter((k) => k === "service" || k === "jobIds");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: GateInputs): Promise<dynamic.CreateResult<GateOutputs & GateInputs>> {
    const core = require("pulumi-otc-jobs/provider");
    const outs: GateOutputs = await core.runGate(inputs, this.stackConfig);
    const id = `${inputs.service}:${inputs.jobIds?.join(",") ?? `filter:${inputs.instanceId ?? ""}:${[inputs.name ?? ""].flat().join(",")}`}`;
    return { id, outs: { ...withoutCredentials(inputs), ...outs } };
  },

  async update(_id: string, _olds: GateInputs & GateOutputs, news: GateInputs): Promise<dynamic.UpdateResult<GateOutputs & GateInputs>> {
    const core = require("pulumi-otc-jobs/provider");
    const outs: GateOutputs = await core.runGate(news, this.stackConfig);
    return { outs: { ...withoutCredentials(news), ...outs } };
  },

  async read(id: string, props?: GateInputs & GateOutputs): Promise<dynamic.ReadResult<GateOutputs & GateInputs>> {
    const core = require("pulumi-otc-jobs/provider");
    if (!props) return { id, props: undefined };
    const outs: GateOutputs = await core.readGate(props, this.stackConfig);
    return { id, props: { ...withoutCredentials(props), ...outs } };
  },

  async delete(): Promise<void> {
    // Nothing to remove in the cloud: a gate only reads.
  },
};
