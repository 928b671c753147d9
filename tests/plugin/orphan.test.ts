/**
 * An engine that dies without stopping its plugins (SIGKILL, a crash) leaves them re-parented: the
 * plugin must notice and exit on its own, as the engine would have had it.
 */
import { spawn } from "node:child_process";
import { alive } from "../helpers/process";
import { PLUGIN } from "./plugin-harness";

it("exits within seconds once the process that started it is gone", async () => {
  // A stand-in engine: starts the plugin as the engine does (argv [address], its own child), prints
  // the plugin's pid and port, then waits to be killed.
  const launcher = `
    const { spawn } = require("node:child_process");
    const p = spawn(process.execPath, [${JSON.stringify(PLUGIN)}, "127.0.0.1:1"], { stdio: ["ignore", "pipe", "ignore"] });
    p.stdout.once("data", (d) => process.stdout.write(JSON.stringify({ pid: p.pid, port: Number(String(d).trim()) }) + "\\n"));
    setInterval(() => {}, 1000);`;
  const engine = spawn(process.execPath, ["-e", launcher], { stdio: ["ignore", "pipe", "inherit"] });
  const { pid, port } = await new Promise<{ pid: number; port: number }>((resolve) => engine.stdout.once("data", (d) => resolve(JSON.parse(String(d)))));
  expect(port).toBeGreaterThan(0);
  expect(alive(pid)).toBe(true);

  engine.kill("SIGKILL");
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(alive(pid)).toBe(false);
}, 20_000);
