/**
 * `otc-jobs emulator --print-env` and `npm run emulator`'s entry (dist/emulator/main.js): export lines
 * a shell can eval, an emulator left running in the background until killed, and the same command
 * behind both names.
 */
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { exportLines, shellQuote } from "../../emulator/env";
import { assertBuilt, BIN, cleanEnv, ROOT } from "../cli/helpers";
import { alive } from "../helpers/process";

const MAIN = join(ROOT, "dist", "emulator", "main.js");


async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

beforeAll(() => assertBuilt());

describe("otc-jobs emulator --print-env", () => {
  it("prints only unset/export lines; eval'd, the CLI reads the emulator; kill stops it", async () => {
    const script = `
set -euo pipefail
eval "$(node ${BIN} emulator --print-env --seed 4 --jobs 30)"
trap 'kill "$OTCJOBS_EMULATOR_PID" 2>/dev/null || true' EXIT
echo "PID=$OTCJOBS_EMULATOR_PID"
node ${BIN} list ddm --all-projects -o json
`;
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8", env: cleanEnv({ OS_AUTH_TOKEN: "stale-token-from-earlier" }), timeout: 60_000 });
    expect(r.status).toBe(0);
    // The stale token in the environment was unset, so the access key was used and every project read.
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { projects: Array<{ read: boolean }> };
    expect(json.projects).toHaveLength(4);
    expect(json.projects.every((p) => p.read)).toBe(true);
    expect(r.stderr).toMatch(/otc-jobs emulator: serving at http:\/\/127\.0\.0\.1:\d+ in the background \(pid \d+\); stop it with: kill \$OTCJOBS_EMULATOR_PID/);
    const pid = Number(/PID=(\d+)/.exec(r.stdout)?.[1]);
    expect(await gone(pid)).toBe(true);
  }, 90_000);

  it("prints the same lines from `npm run emulator`'s entry, and nothing but shell", async () => {
    for (const cmd of [[BIN, "emulator"], [MAIN]]) {
      const r = spawnSync(process.execPath, [...cmd, "--print-env", "--seed", "9"], { encoding: "utf8", env: cleanEnv(), timeout: 30_000 });
      expect(r.status).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines[0]).toBe("unset OS_AUTH_TOKEN OS_TOKEN OS_SECURITY_TOKEN HW_SECURITY_TOKEN");
      expect(lines.slice(1).map((l) => l.replace(/=.*/, ""))).toEqual([
        "export OTCJOBS_ENDPOINT",
        "export OS_PROJECT_ID",
        "export OS_ACCESS_KEY",
        "export OS_SECRET_KEY",
        "export OTCJOBS_EMULATOR_PID",
      ]);
      const pid = Number(/OTCJOBS_EMULATOR_PID=(\d+)/.exec(r.stdout)?.[1]);
      expect(alive(pid)).toBe(true);
      process.kill(pid, "SIGTERM");
      expect(await gone(pid)).toBe(true);
    }
  }, 60_000);

  it("names --port when the port is taken, and leaves nothing running", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = spawnSync(process.execPath, [BIN, "emulator", "--print-env", "--port", String(port)], { encoding: "utf8", env: cleanEnv(), timeout: 30_000 });
      expect(r.status).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`--port: port ${port} is in use`);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("runs in the foreground without --print-env, with the CLI's banner, under either name", async () => {
    for (const cmd of [[BIN, "emulator"], [MAIN]]) {
      const child = spawn(process.execPath, [...cmd, "--seed", "2"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
      for (let i = 0; i < 100 && !out.includes("Press Ctrl-C to stop."); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/^otc-jobs emulator: DDM, DDS, DRS and IAM \(seed 2, 120 jobs per service\)/);
      const code = new Promise((r) => child.on("close", r));
      child.kill("SIGINT");
      expect(await code).toBe(0);
    }
  }, 60_000);
});

describe("export lines", () => {
  it("quote what a shell would split or expand", () => {
    expect(shellQuote("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(shellQuote("a b$c'd")).toBe(`'a b$c'\\''d'`);
    expect(exportLines({ OS_AUTH_TOKEN: "t" })).toEqual(["unset OS_TOKEN OS_SECURITY_TOKEN HW_SECURITY_TOKEN", "export OS_AUTH_TOKEN=t"]);
    const r = spawnSync("bash", ["-c", `eval "$(printf '%s\\n' "$@")"; printf '%s' "$V"`, "_", ...exportLines({ V: "a b$c'd\"e" })], { encoding: "utf8" });
    expect(r.stdout).toBe("a b$c'd\"e");
  });
});
