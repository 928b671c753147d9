/**
 * The package's types as a user's Pulumi TypeScript program sees them: installed from its `npm pack`
 * tarball into a fresh project with the tsconfig of Pulumi's `typescript` template (`module: commonjs`,
 * `moduleResolution: node`, `strict`, no `esModuleInterop`, no `skipLibCheck`), a program using every
 * exported function, `JobGate`, `requireJobs` and the `/provider`, `/emulator` and `/testing` entries
 * must type-check.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packedConsumer, ROOT, type Consumer } from "./consumer";

let consumer: Consumer;
beforeAll(() => {
  // The template's devDependencies: @types/node and typescript.
  consumer = packedConsumer(["@types/node", "typescript"]);
}, 120_000);
afterAll(() => consumer?.remove());

const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts", "index.test.ts"],
};

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as otc from "pulumi-otc-jobs";
import { Client, callFunction, checkGateInputs, type JobRecord, type GateInputs } from "pulumi-otc-jobs/provider";
import { startEmulator } from "pulumi-otc-jobs/emulator";

const config = new pulumi.Config();
const jobId = config.require("migrationJobId");

const gate = new otc.JobGate("migration", { service: "ddm", jobIds: [jobId], timeout: "45m", notFoundGrace: "2m" });
const list: Promise<otc.GetDdmJobsResult> = otc.getDdmJobs({ startTime: "1d", phase: ["failed"] });
const one: pulumi.Output<otc.GetDdmJobResult> = otc.getDdmJobOutput({ jobId }, { dependsOn: [gate] });
const dds: pulumi.Output<otc.GetDdsJobsResult> = otc.getDdsJobsOutput({ startTime: "30d", status: "Running" });
const ddsOne: Promise<otc.GetDdsJobResult> = otc.getDdsJob({ jobId });
const drs: pulumi.Output<otc.GetDrsJobsResult> = otc.getDrsJobsOutput({ dbUseType: "sync", engineType: "mysql" });
const ready: pulumi.Output<pulumi.Resource[]> = otc.requireJobs(otc.getDdmJobsOutput({ name: "migrateLogicDb" }), { latestPerName: true });

function handle(e: unknown): string {
  if (e instanceof otc.JobsFailedError) return e.failed.map((j) => j.id).join(",");
  if (e instanceof otc.OtcJobsError) return e.code;
  return "";
}

const inputs: GateInputs = { service: "dds", instanceId: "i-1" };
const failures: { property: string; reason: string }[] = checkGateInputs(inputs);
const record: JobRecord | undefined = undefined;
void callFunction;
void Client;
void startEmulator;

export const checkedAt = gate.checkedAt;
export const phase = one.phase;
export const count = dds.apply((r) => r.jobs.length);
export const drsTotal = drs.total;
void [list, ddsOne, ready, handle, failures, record];
`;

const TEST = `
import * as pulumi from "@pulumi/pulumi";
import { startTestCloud, type TestCloud } from "pulumi-otc-jobs/testing";

export async function run(): Promise<void> {
  const cloud: TestCloud = await startTestCloud({ emulator: { seed: 3 } });
  const job = cloud.emulator.admin.addJob("ddm", { timeline: { runForMs: 300, outcome: "Completed" } });
  pulumi.runtime.setMocks(cloud.mocks(), "project", "test");
  void job.id;
  await cloud.close();
}
`;

it("a Pulumi-template TypeScript program type-checks against the packed package", async () => {
  writeFileSync(join(consumer.dir, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
  writeFileSync(join(consumer.dir, "index.ts"), PROGRAM);
  writeFileSync(join(consumer.dir, "index.test.ts"), TEST);
  writeFileSync(join(consumer.dir, "package.json"), JSON.stringify({ name: "consumer", main: "index.ts", dependencies: { "pulumi-otc-jobs": "*" } }));
  const tsc = join(consumer.dir, "node_modules", "typescript", "bin", "tsc");
  const out = await new Promise<string>((resolve) =>
    execFile(process.execPath, [tsc, "--noEmit", "--pretty", "false", "-p", consumer.dir], { cwd: consumer.dir, encoding: "utf8", timeout: 120_000 }, (_e, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    ),
  );
  // No public declaration names a zod type (next test), so not even zod's own declarations (which
  // need esModuleInterop) are read: the program checks with no diagnostics at all.
  const lines = out.split("\n").filter((l) => l.trim() !== "");
  const outsideZod = lines.filter((l) => !/node_modules\/zod\//.test(l) && !/^\s/.test(l));
  expect(outsideZod).toEqual([]);
  if (KNOWN_ZOD_LEAKS.length === 0) expect(out).toBe("");
}, 180_000);

/**
 * Declarations that still expose zod types. Empty: ClientOptions is written out, the listing
 * argument types live apart from their schemas (services/args.ts), and the emulator's schemas are
 * private. The test fails on any new leak.
 */
const KNOWN_ZOD_LEAKS: string[] = [];

it("public declarations carry no zod types", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, { types?: string }> };
  const entries = Object.values(pkg.exports).flatMap((e) => (typeof e === "object" && e.types ? [e.types] : []));
  expect(entries.length).toBe(4);
  // Every declaration file reachable from the entries, by relative import.
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/from "(\.[^"]+)"|import\("(\.[^"]+)"\)/g)) {
      const rel = m[1] ?? m[2]!;
      const base = join(file, "..", rel);
      for (const candidate of [`${base}.d.ts`, join(base, "index.d.ts")]) {
        try {
          readFileSync(candidate);
          visit(candidate);
          break;
        } catch {
          // not this one
        }
      }
    }
  };
  for (const e of entries) visit(join(ROOT, e));
  const withZod = [...seen].filter((f) => /from "zod"|import\("zod"\)/.test(readFileSync(f, "utf8"))).map((f) => f.slice(ROOT.length + 1));
  expect(withZod.sort()).toEqual([...KNOWN_ZOD_LEAKS].sort());
});
