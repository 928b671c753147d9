/**
 * Go: the SDK generated from the plugin's schema (sdk/go/otcjobs, module github.com/otc-jobs/pulumi-otcjobs/sdk)
 * compiled into a program with Pulumi's Go SDK at the CLI's version, run through the Automation API by
 * the real CLI, with the plugin serving the functions and the JobGate.
 */
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ok, PROGRAMS, run } from "./harness";
import { engineScenario } from "./scenario";

engineScenario({
  name: "go",
  async prepare(p) {
    const dir = mkdtempSync(join(tmpdir(), "otcjobs-engine-go-"));
    copyFileSync(join(PROGRAMS, "go", "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    const binary = join(dir, "otcjobs-engine-go");
    // -mod=readonly: the committed go.sum is the whole truth; a cold module cache fills from the proxy.
    await ok("go", ["build", "-mod=readonly", "-trimpath", "-o", binary, "."], { cwd: join(PROGRAMS, "go"), env: { ...process.env, CGO_ENABLED: "0" }, timeoutMs: 1_800_000 });
    const drive = (op: string) => (stack: string, eventLog: string) => run(binary, [op, stack, eventLog, dir], { cwd: dir, env: p.env });
    return { dir: () => dir, preview: drive("preview"), up: drive("up") };
  },
});
