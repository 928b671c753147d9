/**
 * One definition of each function: the plugin's Invoke over gRPC deep-equals the Node SDK's
 * in-process result on the same emulator state (a manual clock, so nothing moves between the two),
 * and a 20,000-job invoke returns each job exactly once, above gRPC's default 4 MiB message size.
 */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { wrapSecret } from "../../provider/gate";
import { getDdmJob, getDdmJobs, getDdsJob, getDdsJobs, getDrsJobs } from "../../sdk";
import { pb, struct } from "../pulumi/grpc-harness";
import { PLUGIN, startPlugin, type RunningPlugin } from "./plugin-harness";

let emu: RunningEmulator;
let big: RunningEmulator;
let p: RunningPlugin;
let bigPlugin: RunningPlugin;

async function configure(plugin: RunningPlugin, e: RunningEmulator) {
  const req = new pb.ConfigureRequest();
  req.setArgs(struct({ token: wrapSecret(e.token), projectId: e.projectId, endpoint: e.gateway }));
  await plugin.rpc("configure", req);
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 77, jobs: { ddm: 300, dds: 300, drs: 300 }, clock: "manual" });
  p = await startPlugin(PLUGIN, {});
  await configure(p, emu);
}, 60_000);
afterAll(async () => {
  await p?.stop();
  await bigPlugin?.stop();
  await emu?.close();
  await big?.close();
});

async function invoke(plugin: RunningPlugin, tok: string, args: Record<string, unknown>): Promise<unknown> {
  const req = new pb.InvokeRequest();
  req.setTok(tok);
  req.setArgs(struct(args));
  const res = await plugin.rpc<pb.InvokeRequest, pb.InvokeResponse>("invoke", req, 240_000);
  expect(res.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`)).toEqual([]);
  return res.getReturn()!.toJavaScript();
}

/** What a result looks like after any JSON transport: `undefined` fields absent. */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));

describe("Invoke over gRPC equals the in-process SDK", () => {
  const settings = () => ({ endpoint: emu.gateway, token: emu.token, projectId: emu.projectId });
  const end = () => new Date().toISOString();

  it("for every function", async () => {
    const endTime = end();
    const window = { startTime: new Date(Date.parse(endTime) - 20 * 86_400_000).toISOString(), endTime, maxItems: 500 };
    const ddm = await getDdmJobs({ ...window, settings: settings() });
    expect(ddm.jobs.length).toBeGreaterThan(100);
    expect(await invoke(p, "otcjobs:index:getDdmJobs", window)).toEqual(asJson(ddm));
    const dds = await getDdsJobs({ ...window, phase: ["succeeded", "failed"], settings: settings() });
    expect(await invoke(p, "otcjobs:index:getDdsJobs", { ...window, phase: ["succeeded", "failed"] })).toEqual(asJson(dds));
    for (const dbUseType of ["migration", "sync", "cloudDataGuard"] as const) {
      const drs = await getDrsJobs({ dbUseType, settings: settings() });
      expect(await invoke(p, "otcjobs:index:getDrsJobs", { dbUseType })).toEqual(asJson(drs));
    }
    const ddmOne = await getDdmJob({ jobId: ddm.jobs[3]!.id, settings: settings() });
    expect(await invoke(p, "otcjobs:index:getDdmJob", { jobId: ddm.jobs[3]!.id })).toEqual(asJson(ddmOne));
    const ddsOne = await getDdsJob({ jobId: dds.jobs[0]!.id, settings: settings() });
    expect(await invoke(p, "otcjobs:index:getDdsJob", { jobId: dds.jobs[0]!.id })).toEqual(asJson(ddsOne));
  });

  it("a result id is derived from the arguments: stable across runs, distinct across queries", async () => {
    const a = (await invoke(p, "otcjobs:index:getDrsJobs", { dbUseType: "sync" })) as { id: string };
    const b = (await getDrsJobs({ dbUseType: "sync", settings: settings() })).id;
    const c = (await getDrsJobs({ dbUseType: "migration", settings: settings() })).id;
    expect(a.id).toBe(b);
    expect(c).not.toBe(b);
  });
});

it("a 20,000-job invoke returns every job exactly once (above gRPC's default 4 MiB)", async () => {
  big = await startEmulator({ seed: 3, jobs: { ddm: 20_000, dds: 10, drs: 10 }, clock: "manual" });
  bigPlugin = await startPlugin(PLUGIN, {});
  await configure(bigPlugin, big);
  const req = new pb.InvokeRequest();
  req.setTok("otcjobs:index:getDdmJobs");
  req.setArgs(struct({ startTime: "29d" }));
  const res = await bigPlugin.rpc<pb.InvokeRequest, pb.InvokeResponse>("invoke", req, 240_000);
  expect(res.getFailuresList()).toEqual([]);
  const size = res.serializeBinary().length;
  const r = res.getReturn()!.toJavaScript() as { jobs: Array<{ id: string }>; total: number };
  expect(r.jobs).toHaveLength(20_000);
  expect(new Set(r.jobs.map((j) => j.id)).size).toBe(20_000);
  expect(r.total).toBe(20_000);
  expect(size).toBeGreaterThan(4 * 1024 * 1024);
  process.stdout.write(`getDdmJobs: ${r.jobs.length} jobs, ${(size / 1048576).toFixed(1)} MiB\n`);
}, 240_000);
