/** Starts `bin/pulumi-resource-otcjobs` (or another copy of it) exactly as the engine does. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { providerClient, type ProviderProcess, spawnProvider, startFakeEngine, type FakeEngine, type Rpc } from "../pulumi/grpc-harness";

export const ROOT = join(__dirname, "..", "..");
export const PLUGIN = join(ROOT, "bin", "pulumi-resource-otcjobs");

export interface RunningPlugin {
  engine: FakeEngine;
  plugin: ProviderProcess;
  rpc: Rpc;
  programDir: string;
  stop(): Promise<void>;
}

/**
 * argv `[engineAddress, ...engine flags]`, cwd = a program directory, env = PATH plus `PULUMI_CONFIG`
 * (the package's config with secrets decrypted, as the engine sets it) and `PULUMI_PROJECT`.
 */
export async function startPlugin(executable: string, pulumiConfig: Record<string, string>): Promise<RunningPlugin> {
  const engine = await startFakeEngine();
  const programDir = mkdtempSync(join(tmpdir(), "otcjobs-program-"));
  const plugin = await spawnProvider(executable, [engine.address, "--logtostderr", "-v=9"], {
    cwd: programDir,
    env: { PATH: process.env.PATH, PULUMI_CONFIG: JSON.stringify(pulumiConfig), PULUMI_PROJECT: "conformance" },
  });
  const { rpc, close } = providerClient(plugin.port);
  return {
    engine,
    plugin,
    rpc,
    programDir,
    async stop() {
      close();
      if (plugin.child.exitCode === null && plugin.child.signalCode === null) plugin.child.kill("SIGTERM");
      await plugin.exited;
      await engine.close();
      rmSync(programDir, { recursive: true, force: true });
    },
  };
}
