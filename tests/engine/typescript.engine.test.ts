/**
 * TypeScript: a consumer project with pulumi-otc-jobs installed from its `npm pack` tarball and
 * @pulumi/pulumi from the registry, compiled with the Pulumi template's tsconfig, run through the
 * Automation API by the real CLI (the dynamic JobGate runs in Pulumi's own dynamic-provider host).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packPackage } from "../pulumi/consumer";
import { ok, PROGRAMS, ROOT, run } from "./harness";
import { engineScenario } from "./scenario";

engineScenario({
  name: "typescript",
  async prepare(p) {
    const dir = mkdtempSync(join(tmpdir(), "otcjobs-engine-ts-"));
    const src = join(PROGRAMS, "typescript");
    for (const f of ["Pulumi.yaml", "tsconfig.json", "index.ts", "driver.js"]) copyFileSync(join(src, f), join(dir, f));
    const tarball = packPackage(dir);
    writeFileSync(join(dir, "package.json"), readFileSync(join(src, "package.json"), "utf8").replace("PACKAGE_TARBALL", tarball));
    await ok("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, env: { ...process.env, npm_config_update_notifier: "false" }, timeoutMs: 600_000 });
    await ok(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: dir });
    const drive = (op: string) => (stack: string, eventLog: string) => run(process.execPath, ["driver.js", op, stack, eventLog], { cwd: dir, env: p.env });
    return { dir: () => dir, preview: drive("preview"), up: drive("up") };
  },
});
