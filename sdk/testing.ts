/**
 * `pulumi-otc-jobs/testing`: unit-test your own Pulumi programs' JobGates and data sources against
 * the embedded emulator, under `pulumi.runtime.setMocks`, without a cloud or the Pulumi CLI.
 *
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { startTestCloud } from "pulumi-otc-jobs/testing";
 *
 * const cloud = await startTestCloud();           // the emulator, and the env that points at it
 * const job = cloud.emulator.admin.addJob("ddm", { timeline: { runForMs: 500, outcome: "Completed" } });
 * pulumi.runtime.setMocks(cloud.mocks(), "my-project", "test");
 * const program = await import("./index");        // its JobGates wait on the emulator's jobs
 * // ... await program outputs ...
 * await cloud.close();
 * ```
 */
import type * as pulumi from "@pulumi/pulumi";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../emulator";
import { checkGateInputs, gateId, gateState, parseGateInputs, runGate } from "../provider";
import type { ProviderSettings } from "./settings";

/** The type a `JobGate` registers with (Pulumi's dynamic-resource prefix, our module and type). */
export const JOB_GATE_TYPE = "pulumi-nodejs:dynamic/otcjobs:JobGate";

export interface TestCloudOptions {
  /** Emulator options (seed, jobs per service, clock, faults, ...). Default: 20 seeded jobs per service. */
  emulator?: EmulatorOptions;
  /** Gate polling for tests: `pollInterval` used when a gate sets none. Default `"1s"` (the waiter's floor). */
  pollInterval?: string;
}

export interface MocksOptions {
  /** Your own mocks for other resources and calls; by default, resources echo their inputs. */
  delegate?: pulumi.runtime.Mocks;
  /** A preview: gates are not run (as the engine never runs them in preview). */
  preview?: boolean;
}

export interface TestCloud {
  emulator: RunningEmulator;
  /** Settings that reach the emulator, for `settings:` arguments or your own clients. */
  settings: ProviderSettings;
  /** Mocks whose JobGates run for real (check, then wait) against the emulator. */
  mocks(options?: MocksOptions): pulumi.runtime.Mocks;
  /** `pulumi.runtime.setMocks(this.mocks(options), project, stack, preview)`. */
  setMocks(project?: string, stack?: string, options?: MocksOptions): void;
  /** Stops the emulator and restores the environment. */
  close(): Promise<void>;
}

/** The variables data sources read when nothing else is configured (see the README's precedence). */
const ENV_KEYS = ["OTCJOBS_ENDPOINT", "OS_AUTH_TOKEN", "OS_PROJECT_ID"] as const;

/**
 * Starts the emulator and points this process's data sources and gates at it through the
 * environment (restored by `close`), so a program under test needs no change.
 */
export async function startTestCloud(options: TestCloudOptions = {}): Promise<TestCloud> {
  const emulator = await startEmulator({ jobs: 20, ...options.emulator });
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const env = { OTCJOBS_ENDPOINT: emulator.gateway, OS_AUTH_TOKEN: emulator.token, OS_PROJECT_ID: emulator.projectId };
  Object.assign(process.env, env);
  const settings: ProviderSettings = { endpoint: emulator.gateway, token: emulator.token, projectId: emulator.projectId };
  const pollInterval = options.pollInterval ?? "1s";

  const cloud: TestCloud = {
    emulator,
    settings,
    mocks({ delegate, preview = false } = {}) {
      return {
        async newResource(args) {
          if (args.type !== JOB_GATE_TYPE) {
            return delegate ? delegate.newResource(args) : { id: preview ? undefined : `${args.name}-id`, state: args.inputs };
          }
          const { __provider: _provider, ...inputs } = args.inputs as Record<string, unknown>;
          const failures = checkGateInputs(inputs);
          if (failures.length) throw new Error(`JobGate ${args.name}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
          if (preview) return { id: undefined, state: {} };
          const withDefaults = { pollInterval, ...Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined)) };
          const outs = await runGate(withDefaults, { env: { ...process.env, ...env } });
          return { id: gateId(parseGateInputs(withDefaults)), state: gateState(withDefaults, outs) };
        },
        call(args) {
          if (delegate) return delegate.call(args);
          throw new Error(`no mock for ${args.token}: pulumi-otc-jobs data sources run in-process and need no call mock`);
        },
      };
    },
    setMocks(project = "project", stack = "test", options: MocksOptions = {}) {
      // Loaded here, not at the top: the Pulumi SDK is the program's (a peer), and costs ~0.5 s to load.
      const runtime = (require("@pulumi/pulumi") as typeof pulumi).runtime;
      runtime.setMocks(cloud.mocks(options), project, stack, options.preview ?? false);
    },
    async close() {
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await emulator.close();
    },
  };
  return cloud;
}
