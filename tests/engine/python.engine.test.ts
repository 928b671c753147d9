/**
 * Python: the SDK generated from the plugin's schema (sdk/python), built into a wheel and installed as
 * a user installs it, beside Pulumi's Python SDK at the CLI's version; run through the Automation API
 * by the real CLI, with the plugin serving the functions and the JobGate.
 */
import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ok, PROGRAMS, ROOT, run } from "./harness";
import { engineScenario } from "./scenario";

engineScenario({
  name: "python",
  async prepare(p) {
    const dir = mkdtempSync(join(tmpdir(), "otcjobs-engine-py-"));
    const src = join(PROGRAMS, "python");
    for (const f of ["Pulumi.yaml", "program.py", "driver.py"]) copyFileSync(join(src, f), join(dir, f));
    // A venv of the program's own, as a user makes one: Pulumi's SDK at the CLI's version and the
    // generated SDK built into a wheel, each with its declared dependencies.
    await ok(join(p.tools, "venv", "bin", "python"), ["-m", "venv", join(dir, "venv")], { env: p.env });
    const python = join(dir, "venv", "bin", "python");
    const pip = (...args: string[]) => ok(python, ["-m", "pip", "--quiet", "--disable-pip-version-check", ...args], { env: p.env, timeoutMs: 600_000 });
    const wheels = join(dir, "wheels");
    await pip("wheel", "--no-deps", "-w", wheels, join(ROOT, "sdk", "python"));
    const wheel = readdirSync(wheels).find((f) => f.endsWith(".whl"))!;
    await pip("install", "-r", join(ROOT, "toolchain", "pulumi", "requirements.txt"), join(wheels, wheel));
    const env = { ...p.env, PYTHONUNBUFFERED: "1" };
    const drive = (op: string) => (stack: string, eventLog: string) => run(python, ["driver.py", op, stack, eventLog], { cwd: dir, env });
    return { dir: () => dir, preview: drive("preview"), up: drive("up") };
  },
});
