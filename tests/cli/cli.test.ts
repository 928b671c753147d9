/** The binary as a whole: version, help, configuration from flags, env and clouds.yaml, the emulator command. */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ConfigError, DeadlineExceededError, InvalidArgumentError, OtcApiError } from "../../provider";
import { assertBuilt, BIN, cleanEnv, emulatorEnv, invoke, RECORD_MODULES, ROOT, run } from "./helpers";

let emulator: RunningEmulator;
let scratch: string;

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulator({ seed: 3, jobs: 8 });
  scratch = mkdtempSync(join(tmpdir(), "otc-jobs-cli-"));
});
afterAll(async () => {
  await emulator?.close();
});

describe("start-up", () => {
  it("--version prints the package version without loading the core, tables or Pulumi", async () => {
    const file = join(scratch, "version-modules.json");
    const r = await run(["--version"], { env: cleanEnv({ OTCJOBS_TEST_MODULES_FILE: file }), nodeArgs: ["--require", RECORD_MODULES] });
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    const modules = JSON.parse(readFileSync(file, "utf8")) as string[];
    const heavy = modules.filter((m) =>
      /node_modules[\\/](undici|zod|yaml|cli-table3|@pulumi)[\\/]|dist[\\/](emulator|provider[\\/](index|client|http|config))\.?/.test(m),
    );
    expect(heavy).toEqual([]);
    // Answered by bin/otc-jobs.js itself: not even commander or the CLI's entry is loaded.
    expect(modules.filter((m) => /node_modules[\\/]commander[\\/]|dist[\\/]cli[\\/]/.test(m))).toEqual([]);
    expect(r.ms).toBeLessThan(3000);
  });

  it("runs the CLI from the bundle npm run build made, with a V8 code cache this Node accepts", () => {
    // A child process, as the binary runs: the flags first, then the bundle and its cache.
    const script = `const l = require(${JSON.stringify(BIN)}); l.setFlags(); const r = l.loadCli();
      process.stdout.write(JSON.stringify({ bundle: !!r.script, rejected: r.script ? r.script.cachedDataRejected : null, main: typeof r.cli.main }))`;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as Record<string, unknown>;
    expect(out).toEqual({ bundle: true, rejected: false, main: "function" });
  });

  it("-V is --version too; with other flags the version still comes from commander", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const [short, mixed] = await Promise.all([run(["-V"]), run(["--verbose", "--version"])]);
    expect([short.code, short.stdout]).toEqual([0, `${pkg.version}\n`]);
    expect([mixed.code, mixed.stdout]).toEqual([0, `${pkg.version}\n`]);
  });

  it("--help lists the commands and exit codes; no command is a usage error", async () => {
    const [help, none, listHelp] = await Promise.all([run(["--help"]), run([]), run(["list", "--help"])]);
    expect(help.code).toBe(0);
    for (const word of ["list", "get", "wait", "emulator", "--cloud", "--region", "--project-id", "--endpoint", "--profile", "--os-cloud", "--verbose", "Exit codes:"]) {
      expect(help.stdout).toContain(word);
    }
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("Usage: otc-jobs");
    expect(listHelp.code).toBe(0);
    expect(listHelp.stdout).toContain("--db-use-type <type>");
  });
});

describe("configuration", () => {
  it("no credentials: exit 3, naming every place looked in", async () => {
    const home = mkdtempSync(join(tmpdir(), "otc-jobs-home-"));
    const [plain, withCloud] = await Promise.all([
      run(["list", "ddm"], { env: cleanEnv({ HOME: home }), cwd: scratch }),
      run(["list", "ddm", "--profile", "prod"], { env: cleanEnv({ HOME: home }), cwd: scratch }),
    ]);
    expect(plain.code).toBe(3);
    expect(plain.stderr).toMatch(/no credentials found\. Looked in:/);
    expect(plain.stderr).toContain("environment (OS_AUTH_TOKEN/OS_TOKEN, OS_ACCESS_KEY/HW_ACCESS_KEY");
    expect(plain.stderr).toContain("clouds.yaml (not read: OS_CLOUD is not set)");
    expect(withCloud.code).toBe(3);
    expect(withCloud.stderr).toContain(`clouds.yaml for OS_CLOUD=prod: no file at ${join(scratch, "clouds.yaml")}, ${join(home, ".config", "openstack", "clouds.yaml")}`);
    expect(plain.stdout + withCloud.stdout).toBe("");
  });

  it("flags win over the environment; --profile reads clouds.yaml; a bad setting names its source", async () => {
    const dir = mkdtempSync(join(tmpdir(), "otc-jobs-clouds-"));
    writeFileSync(
      join(dir, "clouds.yaml"),
      `clouds:\n  emu:\n    auth:\n      token: ${emulator.token}\n      project_id: ${emulator.projectId}\n`,
    );
    const wrongEndpoint = emulatorEnv(emulator, { OTCJOBS_ENDPOINT: "http://127.0.0.1:9" });
    const [flagWins, profile, osCloud, badFlag, badEnv] = await Promise.all([
      run(["list", "ddm", "--since", "30d", "-o", "json", "--endpoint", emulator.gateway], { env: wrongEndpoint }),
      run(["--profile", "emu", "--endpoint", emulator.gateway, "list", "dds", "--since", "30d", "-o", "json"], { env: cleanEnv({ HOME: dir }), cwd: dir }),
      invoke(["list", "dds", "--since", "30d", "-o", "json", "--os-cloud", "emu", "--endpoint", emulator.gateway], cleanEnv({ OS_CLIENT_CONFIG_FILE: join(dir, "clouds.yaml") })),
      run(["list", "ddm", "--project-id", "not-hex"], { env: emulatorEnv(emulator) }),
      invoke(["list", "ddm"], emulatorEnv(emulator, { OS_PROJECT_ID: "not-hex" })),
    ]);
    expect(flagWins.code).toBe(0);
    expect((JSON.parse(flagWins.stdout) as unknown[]).length).toBe(emulator.admin.jobs("ddm").length);
    expect(profile.code).toBe(0);
    expect((JSON.parse(profile.stdout) as unknown[]).length).toBe(emulator.admin.jobs("dds").length);
    expect(osCloud.code).toBe(0);
    expect(badFlag.code).toBe(3);
    expect(badFlag.stderr).toMatch(/--project-id: must be the project's id: 32 hex characters/);
    expect(badEnv.code).toBe(3);
    expect(badEnv.stderr).toMatch(/projectId \(from environment \(OS_PROJECT_ID\)\): must be the project's id/);
  });

  it("errors map to exit codes: network failures and deadlines are API failures (4), not usage (3)", async () => {
    const { classify } = await import("../../cli/main");
    const network = new OtcApiError({ service: "ddm", operation: "ListJobs", status: 0, apiCode: "NETWORK", message: "connect ECONNREFUSED", retryable: true, attempts: 6 });
    expect(classify(network)).toEqual({ code: 4, message: "DDM ListJobs failed after 6 attempts: NETWORK: connect ECONNREFUSED" });
    expect(classify(new DeadlineExceededError("dds", "ShowJob", 1000)).code).toBe(4);
    expect(classify(new ConfigError("no credentials found")).code).toBe(3);
    expect(classify(new InvalidArgumentError("startTime", "time", "bad")).code).toBe(3);
    expect(classify(new Error("boom"))).toMatchObject({ code: 4, message: expect.stringMatching(/^unexpected error: Error: boom/) });
  });
});

describe("pipes and the demo", () => {
  it("a reader that goes away early is not an error", async () => {
    // Enough jobs that the JSON outgrows the pipe's buffer, so the CLI writes into a closed pipe.
    const big = await startEmulator({ seed: 4, jobs: 400 });
    const env = emulatorEnv(big);
    const child = spawn(process.execPath, [BIN, "list", "all", "--since", "30d", "-o", "json"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c))).finally(() => big.close());
    expect(err).toBe("");
    expect(code).toBe(0);
  });

  it("npm run demo's script: an audit table, a passing gate, a failing gate, exit 0", async () => {
    const child = spawn(process.execPath, [join(ROOT, "dist", "cli", "demo.js")], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(code).toBe(0);
    expect(out).toMatch(/\$ otc-jobs list all .*\nservice\s+name\s+status\s+phase/);
    expect(out).toMatch(/done: 1 DDM job finished after .*\n\(exit code 0\)/);
    expect(out).toMatch(/failed: dds .* ended Failed \(failed\).*\n\(exit code 1\)/);
  }, 30_000);
});

describe("otc-jobs emulator", () => {
  it("prints how to point the CLI and Pulumi at it, serves them, and stops on SIGINT", async () => {
    const child = spawn(process.execPath, [BIN, "emulator", "--port", "0", "--seed", "9", "--jobs", "7"], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}${err}`)), 10_000);
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          out += d;
          if (out.includes("Press Ctrl-C to stop.")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const value = (name: string) => new RegExp(`^  export ${name}=(\\S+)$`, "m").exec(out)?.[1];
      const endpoint = value("OTCJOBS_ENDPOINT")!;
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toContain(`pulumi config set otcjobs:endpoint ${endpoint}`);
      expect(out).toMatch(/pulumi config set --secret otcjobs:token \S+/);
      for (const api of ["ddm", "dds", "drs", "iam"]) expect(out).toMatch(new RegExp(`^  ${api}\\s+http://127\\.0\\.0\\.1:\\d+$`, "m"));

      // The banner's lines, as a user pastes them: the access key pair of the emulated account.
      const env = cleanEnv({
        OTCJOBS_ENDPOINT: endpoint,
        OS_ACCESS_KEY: value("OS_ACCESS_KEY")!,
        OS_SECRET_KEY: value("OS_SECRET_KEY")!,
        OS_PROJECT_ID: value("OS_PROJECT_ID")!,
      });
      const r = await run(["list", "all", "--since", "30d", "-o", "json"], { env });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as unknown[]).length).toBe(21);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(err).toContain("otc-jobs emulator: stopped (SIGINT)");
  });

  it("a bad flag is exit 3", async () => {
    const r = await run(["emulator", "--fault-rate", "2"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--fault-rate.*from 0 to 1/);
  });
});
