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

type Core = typeof import("../index");

/** Progress reaches `pulumi up` through the host's stderr; stdout belongs to the host's handshake. */
function progress(core: Core, secrets: readonly string[]): (line: string) => void {
  return (line) => process.stderr.write(`${core.redactSecrets(line, secrets)}\n`);
}

/** The texts of the inputs the Node SDK noted as secret (`__secretInputs`): the host hands them over in clear. */
function secretTexts(inputs: object): string[] {
  const all = inputs as Record<string, unknown>;
  const names = Array.isArray(all.__secretInputs) ? (all.__secretInputs as string[]) : [];
  const texts = (v: unknown): string[] =>
    typeof v === "string" ? [v] : typeof v === "number" ? [String(v)] : Array.isArray(v) ? v.flatMap(texts) : v && typeof v === "object" ? Object.values(v).flatMap(texts) : [];
  return names.flatMap((k) => texts(all[k]));
}

/** Runs a gate call; its error reaches the engine (and the terminal) without the secret inputs' values. */
async function withSecretsRedacted<T>(core: Core, secrets: readonly string[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (secrets.length && e instanceof Error) {
      e.message = core.redactSecrets(e.message, secrets);
      if (e.stack) e.stack = core.redactSecrets(e.stack, secrets);
    }
    throw e;
  }
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
    const secrets = secretTexts(inputs);
    return withSecretsRedacted(core, secrets, async () => {
      const outs = await core.runGate(inputs, { stackConfig: this.stackConfig, onProgress: progress(core, secrets) });
      return { id: core.gateId(core.parseGateInputs(inputs)), outs: core.gateState(inputs, outs) };
    });
  },

  async update(_id: string, _olds: GateInputs & GateOutputs, news: GateInputs): Promise<dynamic.UpdateResult<GateState>> {
    const core: Core = require("pulumi-otc-jobs/provider");
    const secrets = secretTexts(news);
    return withSecretsRedacted(core, secrets, async () => {
      const outs = await core.runGate(news, { stackConfig: this.stackConfig, onProgress: progress(core, secrets) });
      return { outs: core.gateState(news, outs) };
    });
  },

  async read(id: string, props?: GateInputs & GateOutputs): Promise<dynamic.ReadResult<GateState>> {
    const core: Core = require("pulumi-otc-jobs/provider");
    // refresh passes the state; `JobGate.get(name, "ddm:<job-id>")` passes only an id that names the jobs.
    const selection = props && Object.keys(props).some((k) => k !== "__provider") ? props : core.selectionOfId(id);
    if (!selection) return { id, props: undefined };
    const outs = await core.readGate(selection, { stackConfig: this.stackConfig });
    return { id, props: core.gateState(selection, outs) as GateState };
  },

  async delete(): Promise<void> {
    // Nothing to remove in the cloud: a gate only reads.
  },
};
