import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { GateInputs, GateOutputs } from "../gate";
import type { Settings } from "../config";

/**
 * The `JobGate` dynamic provider: a thin adapter from Pulumi's dynamic-provider calls to the core's
 * gate (`provider/gate/`). Pulumi serializes this object into state and runs it in its
 * dynamic-provider host, so it holds nothing but methods: each one `require`s this package by name at
 * call time (a relative path would not resolve in the host, and captured zod schemas or undici agents
 * cannot be serialized), and credentials come from `configure` (stack config) or the environment when
 * a method runs, never from a capture.
 */
/** What a gate keeps in state: its inputs (never credentials) and what it saw. */
export type GateState = Omit<GateInputs, "credentials"> & GateOutputs;

export interface JobGateProvider extends dynamic.ResourceProvider<GateInputs, GateState> {
  /** Stack config seen by `configure`; set at run time in the host, never serialized with a value. */
  stackConfig?: Settings;
}

type Core = typeof import("../gate");

/** Progress reaches `pulumi up` through the host's stderr; stdout belongs to the host's handshake. */
function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

export const jobGateProvider: JobGateProvider = {
  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    const core: Core = require("pulumi-otc-jobs/provider");
    this.stackConfig = core.settingsFromStackConfig((key: string) => req.config.get(key));
  },

  async check(_olds: GateInputs, news: GateInputs): Promise<dynamic.CheckResult<GateInputs>> {
    const core: Core = require("pulumi-otc-jobs/provider");
    // The inputs go back unchanged: unknowns stay unknown and the engine keeps secrets secret.
    return { inputs: news, failures: core.checkGateInputs(news) };
  },

  async diff(_id: string, olds: GateInputs, news: GateInputs): Promise<dynamic.DiffResult> {
    const core: Core = require("pulumi-otc-jobs/provider");
    const d = core.diffGateInputs(olds, news);
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
  },

  async create(inputs: GateInputs): Promise<dynamic.CreateResult<GateState>> {
    const core: Core = require("pulumi-otc-jobs/provider");
    const outs = await core.runGate(inputs, { stackConfig: this.stackConfig, onProgress: progress });
    return { id: core.gateId(core.parseGateInputs(inputs)), outs: core.gateState(inputs, outs) };
  },

  async update(_id: string, _olds: GateInputs & GateOutputs, news: GateInputs): Promise<dynamic.UpdateResult<GateState>> {
    const core: Core = require("pulumi-otc-jobs/provider");
    const outs = await core.runGate(news, { stackConfig: this.stackConfig, onProgress: progress });
    return { outs: core.gateState(news, outs) };
  },

  async read(id: string, props?: GateInputs & GateOutputs): Promise<dynamic.ReadResult<GateState>> {
    const core: Core = require("pulumi-otc-jobs/provider");
    if (!props) return { id, props: undefined };
    const outs = await core.readGate(props, { stackConfig: this.stackConfig });
    return { id, props: core.gateState(props, outs) };
  },

  async delete(): Promise<void> {
    // Nothing to remove in the cloud: a gate only reads.
  },
};
