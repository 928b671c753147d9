/**
 * The JobGate through Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), driven
 * over gRPC as the engine drives it: started in a consumer's program directory where the package is
 * installed from its `npm pack` tarball, with a fake Engine, Configure as 3.139+ sends it (namespaced
 * keys, secrets wrapped), then Check (known, unknown, bad), Create against the emulator, Diff, Read and a
 * failing job. The provider text comes from a real `JobGate` registration.
 */
import { gateId } from "../../provider/gate";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { UNKNOWN, wrapSecret } from "../../provider/gate";
import { packedConsumer, type Consumer } from "./consumer";
import { pb, providerClient, type ProviderProcess, spawnProvider, startFakeEngine, struct, type FakeEngine, type Rpc } from "./grpc-harness";

let emu: RunningEmulator;
let consumer: Consumer;
let engine: FakeEngine;
let host: ProviderProcess;
let rpc: Rpc;
let closeClient: () => void;
let providerText: string;
const SECRET_TOKEN = () => emu.token;

beforeAll(async () => {
  emu = await startEmulator({ seed: 31, jobs: 30 });
  consumer = packedConsumer();
  engine = await startFakeEngine();
  const captured = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [join(__dirname, "capture-gate.js"), join(consumer.dir, "node_modules", "pulumi-otc-jobs")], { encoding: "utf8", timeout: 60_000 }, (e, out, err) =>
      e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out),
    ),
  );
  providerText = JSON.parse(captured.trim().split("\n").at(-1)!).inputs.__provider;
  // No credentials in the host's environment: they must come from Configure.
  host = await spawnProvider(process.execPath, [join(consumer.dir, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"), engine.address], {
    cwd: consumer.dir,
    env: { PATH: process.env.PATH, PULUMI_PROJECT: "consumer" },
  });
  ({ rpc, close: closeClient } = providerClient(host.port));
}, 90_000);

afterAll(async () => {
  closeClient?.();
  host?.child.kill("SIGTERM");
  await host?.exited;
  await engine?.close();
  await emu?.close();
  consumer?.remove();
});

const gateInputs = (extra: Record<string, unknown>) => ({ __provider: providerText, ...extra });

function checkReq(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  const r = new pb.CheckRequest();
  r.setUrn("urn:pulumi:test::consumer::pulumi-nodejs:dynamic/otcjobs:JobGate::gate");
  r.setOlds(struct(olds));
  r.setNews(struct(news));
  return r;
}

const failuresOf = (res: pb.CheckResponse) => res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));

describe("JobGate in Pulumi's dynamic-provider host", () => {
  it("is configured from namespaced stack config with a wrapped secret token, as 3.139+ sends it", async () => {
    const req = new pb.ConfigureRequest();
    const config = { "otcjobs:endpoint": emu.gateway, "otcjobs:projectId": emu.projectId, "otcjobs:token": wrapSecret(SECRET_TOKEN()), "consumer:other": "x" };
    req.setArgs(struct(config));
    for (const [k, v] of Object.entries(config)) req.getVariablesMap().set(k, typeof v === "string" ? v : SECRET_TOKEN());
    const res = await rpc<pb.ConfigureRequest, pb.ConfigureResponse>("configure", req);
    expect(res.getAcceptsecrets()).toBe(false);
  });

  it("Check passes known inputs and returns them unchanged", async () => {
    const news = gateInputs({ service: "ddm", jobIds: ["92370d30-3ddc-4e05-b8ab-51662d824318"], timeout: "10m" });
    const res = await rpc<pb.CheckRequest, pb.CheckResponse>("check", checkReq(news));
    expect(failuresOf(res)).toEqual([]);
    expect(res.getInputs()!.toJavaScript()).toEqual(news);
  });

  it("Check passes unknowns as preview sends them: whole inputs, list elements, nested fields", async () => {
    for (const news of [
      gateInputs({ service: UNKNOWN, jobIds: UNKNOWN, timeout: UNKNOWN, minJobs: UNKNOWN }),
      gateInputs({ service: "ddm", jobIds: [UNKNOWN] }),
      gateInputs({ service: "dds", instanceId: UNKNOWN, name: [UNKNOWN], connection: { region: UNKNOWN } }),
    ]) {
      const res = await rpc<pb.CheckRequest, pb.CheckResponse>("check", checkReq(news));
      expect(failuresOf(res)).toEqual([]);
      expect(res.getInputs()!.toJavaScript()).toEqual(news);
    }
  });

  it("Check names bad known inputs", async () => {
    const res = await rpc<pb.CheckRequest, pb.CheckResponse>("check", checkReq(gateInputs({ service: "s3", jobIds: [UNKNOWN, "bad id!"], timeout: "soon" })));
    expect(failuresOf(res)).toEqual([
      { property: "service", reason: '"s3" is not a service; use ddm, dds or drs' },
      { property: "jobIds[1]", reason: "must be a job id (letters, digits and dashes)" },
      { property: "timeout", reason: '"soon" is not a duration like 90s, 10m or 2h (how long to wait before failing)' },
    ]);
  });

  it("Diff: unknown selection replaces, other changes update, equal inputs do not change", async () => {
    const olds = gateInputs({ service: "ddm", jobIds: ["a"] });
    const diff = async (news: Record<string, unknown>) => {
      const r = new pb.DiffRequest();
      r.setId("ddm:a");
      r.setOlds(struct(olds));
      r.setNews(struct(news));
      const res = await rpc<pb.DiffRequest, pb.DiffResponse>("diff", r);
      return { changes: res.getChanges(), replaces: res.getReplacesList() };
    };
    const { DIFF_NONE, DIFF_SOME } = pb.DiffResponse.DiffChanges;
    expect(await diff(olds)).toEqual({ changes: DIFF_NONE, replaces: [] });
    expect(await diff(gateInputs({ service: UNKNOWN, jobIds: ["a"] }))).toEqual({ changes: DIFF_SOME, replaces: ["service"] });
    expect(await diff(gateInputs({ service: "ddm", jobIds: [UNKNOWN] }))).toEqual({ changes: DIFF_SOME, replaces: ["jobIds"] });
    expect(await diff(gateInputs({ service: "ddm", jobIds: ["a"], timeout: "1h" }))).toEqual({ changes: DIFF_SOME, replaces: [] });
  });

  it("Create waits for the job against the emulator, with credentials from Configure only; Read refreshes", async () => {
    // Long enough that the first poll sees it running even on a loaded machine.
    const job = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 2500, outcome: "Completed" } });
    const req = new pb.CreateRequest();
    req.setUrn("urn:pulumi:test::consumer::pulumi-nodejs:dynamic/otcjobs:JobGate::gate");
    req.setProperties(struct(gateInputs({ service: "ddm", jobIds: [job.id], pollInterval: "1s", timeout: "30s" })));
    const res = await rpc<pb.CreateRequest, pb.CreateResponse>("create", req);
    expect(res.getId()).toBe(gateId({ service: "ddm", jobIds: [job.id] }));
    const props = res.getProperties()!.toJavaScript() as Record<string, { [k: string]: unknown }>;
    expect(props.jobs).toEqual([expect.objectContaining({ id: job.id, status: "Completed", phase: "succeeded" })]);
    expect(props.summary).toMatchObject({ total: 1, anyFailed: false });
    expect(JSON.stringify(props)).not.toContain(SECRET_TOKEN());
    // Progress lines reach the host's stderr, which the engine shows.
    expect(host.stderr()).toMatch(/JobGate ddm: 0 of 1 done after \d+ s; waiting for migrateLogicDb [A-Za-z]+/);

    const read = new pb.ReadRequest();
    read.setId(res.getId());
    read.setProperties(res.getProperties());
    const refreshed = (await rpc<pb.ReadRequest, pb.ReadResponse>("read", read)).getProperties()!.toJavaScript() as Record<string, { [k: string]: unknown }>;
    expect(refreshed.jobs).toEqual([expect.objectContaining({ id: job.id, phase: "succeeded" })]);
    expect(host.stdoutAfterPort()).toBe("");
  });

  it("Create fails naming the failed job and its reason", async () => {
    const job = emu.admin.addJob("dds", { name: "RestartInstance", timeline: { runForMs: 200, outcome: "Failed", failReason: "node dds-2 did not come back" } });
    const req = new pb.CreateRequest();
    req.setProperties(struct(gateInputs({ service: "dds", jobIds: [job.id], pollInterval: "1s", timeout: "30s" })));
    await expect(rpc("create", req)).rejects.toMatchObject({
      details: `1 of 1 job(s) failed: DDS RestartInstance ${job.id} is Failed (node dds-2 did not come back)`,
    });
    expect(host.stderr()).not.toContain(SECRET_TOKEN());
  });
});
