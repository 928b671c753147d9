/**
 * The conformance suite of the otcjobs plugin, acting as the engine over gRPC against the emulator:
 * every method, secrets never unwrapped in a response or state, unknowns, bad input, a 20,000-job
 * invoke, Cancel during a gate, the request timeout, and SIGTERM. Run against the built executable
 * and against the one extracted from the `plugin:pack` tarball.
 */
import { gateId } from "../../provider/gate";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { UNKNOWN, wrapSecret } from "../../provider/gate";
import { buildSchema } from "../../plugin/schema";
import { Empty, pb, pluginPb, struct } from "../pulumi/grpc-harness";
import { ROOT, startPlugin, type RunningPlugin } from "./plugin-harness";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const SIG = "4dabf18193072939515e22adb298388d";
const GATE_URN = "urn:pulumi:test::conformance::otcjobs:index:JobGate::gate";

type Json = Record<string, unknown>;

export function conformanceSuite(label: string, executable: () => string): void {
  describe(`pulumi-resource-otcjobs conformance (${label})`, () => {
    let emu: RunningEmulator;
    let p: RunningPlugin;
    // Every response value, with wrapped secrets cut out: what is left must hold no secret.
    const responses: string[] = [];
    const outsideSecrets = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(outsideSecrets)
        : v && typeof v === "object"
          ? SIG in v
            ? "<secret>"
            : Object.fromEntries(Object.entries(v).map(([k, e]) => [k, outsideSecrets(e)]))
          : v;
    const seen = (v: unknown) => {
      responses.push(JSON.stringify(outsideSecrets(v)));
      return v;
    };
    const requests = () => emu.admin.stats().requests.total;

    beforeAll(async () => {
      emu = await startEmulator({ seed: 41, jobs: { ddm: 40, dds: 40, drs: 40 } });
      // As the engine launches it: the package's config in PULUMI_CONFIG (here without credentials;
      // the token comes wrapped in Configure).
      p = await startPlugin(executable(), { endpoint: emu.gateway, projectId: emu.projectId });
    }, 60_000);
    afterAll(async () => {
      await p?.stop();
      await emu?.close();
    });

    it("prints only its port on stdout", () => {
      expect(p.plugin.port).toBeGreaterThan(0);
      expect(p.plugin.stdoutAfterPort()).toBe("");
    });

    it("Handshake accepts secrets and resources", async () => {
      const req = new pb.ProviderHandshakeRequest();
      req.setEngineAddress(p.engine.address);
      req.setProgramDirectory(p.programDir);
      const res = await p.rpc<pb.ProviderHandshakeRequest, pb.ProviderHandshakeResponse>("handshake", req);
      expect(res.getAcceptSecrets()).toBe(true);
      expect(res.getAcceptResources()).toBe(true);
    });

    it("GetPluginInfo reports the package's version", async () => {
      const res = await p.rpc<Empty, pluginPb.PluginInfo>("getPluginInfo", new Empty());
      expect(res.getVersion()).toBe(VERSION);
    });

    it("GetSchema serves the schema built from the core's table", async () => {
      const req = new pb.GetSchemaRequest();
      const schema = JSON.parse((await p.rpc<pb.GetSchemaRequest, pb.GetSchemaResponse>("getSchema", req)).getSchema());
      expect(schema).toEqual(buildSchema(VERSION));
      expect(Object.keys(schema.functions)).toEqual([
        "otcjobs:index:getDdmJobs",
        "otcjobs:index:getDdmJob",
        "otcjobs:index:getDdsJobs",
        "otcjobs:index:getDdsJob",
        "otcjobs:index:getDrsJobs",
      ]);
    });

    it("CheckConfig names misspelled keys, coerces JSON strings and keeps secrets wrapped", async () => {
      const req = new pb.CheckRequest();
      req.setUrn("urn:pulumi:test::conformance::pulumi:providers:otcjobs::default");
      req.setNews(
        struct({ regoin: "eu-de", insecure: "true", endpoints: '{"ddm":"http://127.0.0.1:1"}', token: wrapSecret("tok-CHECKCONFIG"), password: "pw-CHECKCONFIG", version: "0.1.0" }),
      );
      const res = await p.rpc<pb.CheckRequest, pb.CheckResponse>("checkConfig", req);
      expect(res.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([
        ["regoin", expect.stringMatching(/^otcjobs:regoin is not a setting of otcjobs \(settings: .*\); did you mean otcjobs:region\?$/)],
      ]);
      const inputs = seen(res.getInputs()!.toJavaScript()) as Json;
      expect(inputs).toMatchObject({ insecure: true, endpoints: { ddm: "http://127.0.0.1:1" }, token: wrapSecret("tok-CHECKCONFIG"), password: wrapSecret("pw-CHECKCONFIG") });

      const bad = new pb.CheckRequest();
      bad.setNews(struct({ insecure: "maybe", endpoints: "{not json" }));
      const failures = (await p.rpc<pb.CheckRequest, pb.CheckResponse>("checkConfig", bad)).getFailuresList().map((f) => f.getProperty());
      expect(failures.sort()).toEqual(["endpoints", "insecure"]);
    });

    it("Configure takes stack config with a wrapped token; supports preview, accepts secrets", async () => {
      const req = new pb.ConfigureRequest();
      req.setArgs(struct({ token: wrapSecret(emu.token), projectId: emu.projectId, endpoint: emu.gateway }));
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      const res = await p.rpc<pb.ConfigureRequest, pb.ConfigureResponse>("configure", req);
      expect(res.getAcceptsecrets()).toBe(true);
      expect(res.getSupportspreview()).toBe(true);
    });

    // What a 3.143+ engine sends in `pulumi preview` once a plugin answered Handshake: Create and
    // Update with `preview: true` (sdk/go/common/resource/plugin/provider_plugin.go). Nothing waits,
    // nothing is requested, nothing fails; outputs are unknown.
    it("JobGate Create and Update in a preview do no work: no wait, no request, no verdict, outputs unknown", async () => {
      const running = emu.admin.addJob("ddm", { name: "EnlargeNode", timeline: { runForMs: 600_000 } });
      const failed = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 0, outcome: "Failed", failReason: "shard 3 unreachable" } });
      const before = requests();
      const started = Date.now();
      for (const jobIds of [[running.id], [failed.id], [UNKNOWN], UNKNOWN]) {
        const create = new pb.CreateRequest();
        create.setUrn(GATE_URN);
        create.setPreview(true);
        create.setProperties(gateProps({ service: "ddm", jobIds, credentials: wrapSecret({ token: "tok-PREVIEW" }) }));
        const res = await p.rpc<pb.CreateRequest, pb.CreateResponse>("create", create);
        expect(res.getId()).toBe("");
        expect(seen(res.getProperties()!.toJavaScript())).toEqual({ service: "ddm", jobIds, pollInterval: "1s", timeout: "60s", jobs: UNKNOWN, summary: UNKNOWN, checkedAt: UNKNOWN });

        const update = new pb.UpdateRequest();
        update.setUrn(GATE_URN);
        update.setId("ddm:old");
        update.setPreview(true);
        update.setOlds(struct({ service: "ddm", jobIds: ["old"], jobs: [], checkedAt: "x" }));
        update.setNews(gateProps({ service: "ddm", jobIds, timeout: "90s" }));
        const upd = seen((await p.rpc<pb.UpdateRequest, pb.UpdateResponse>("update", update)).getProperties()!.toJavaScript());
        expect(upd).toEqual({ service: "ddm", jobIds, pollInterval: "1s", timeout: "90s", jobs: UNKNOWN, summary: UNKNOWN, checkedAt: UNKNOWN });
      }
      expect(requests()).toBe(before);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    const invoke = async (tok: string, args: Json) => {
      const req = new pb.InvokeRequest();
      req.setTok(tok);
      req.setArgs(struct(args));
      const res = await p.rpc<pb.InvokeRequest, pb.InvokeResponse>("invoke", req, 120_000);
      return {
        result: seen(res.getReturn()?.toJavaScript()) as Json | undefined,
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    };

    it("Invoke serves each of the five functions against the emulator", async () => {
      const ddm = await invoke("otcjobs:index:getDdmJobs", { startTime: "7d" });
      expect(ddm.failures).toEqual([]);
      const jobs = ddm.result!.jobs as Json[];
      expect(jobs.length).toBeGreaterThan(0);
      expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
      const one = await invoke("otcjobs:index:getDdmJob", { jobId: jobs[0]!.id as string });
      expect(one.result).toMatchObject({ id: jobs[0]!.id, service: "ddm" });
      const dds = await invoke("otcjobs:index:getDdsJobs", { startTime: "7d", phase: ["succeeded", "failed", "running"] });
      expect(dds.failures).toEqual([]);
      const ddsJob = (dds.result!.jobs as Json[])[0]!;
      expect((await invoke("otcjobs:index:getDdsJob", { jobId: ddsJob.id as string })).result).toMatchObject({ id: ddsJob.id, service: "dds" });
      const drs = await invoke("otcjobs:index:getDrsJobs", { dbUseType: "migration" });
      expect(drs.failures).toEqual([]);
      expect((drs.result!.jobs as Json[]).every((j) => j.service === "drs" && j.dbUseType === "migration")).toBe(true);
      // Every job field is a declared output of the schema (and the other way round for required ones).
      const schema = buildSchema(VERSION) as { types: Record<string, { properties: Json; required: string[] }> };
      for (const [job, type] of [
        [jobs[0]!, "DdmJob"],
        [ddsJob, "DdsJob"],
        [(drs.result!.jobs as Json[])[0]!, "DrsJob"],
      ] as const) {
        const t = schema.types[`otcjobs:index:${type}`]!;
        expect(Object.keys(job).filter((k) => !(k in t.properties))).toEqual([]);
        expect(t.required.filter((k) => !(k in job))).toEqual([]);
      }
    });

    it("Invoke with a secret argument returns every field wrapped as a secret", async () => {
      const r = await invoke("otcjobs:index:getDdmJobs", { startTime: "7d", name: wrapSecret("migrateLogicDb") });
      expect(r.failures).toEqual([]);
      for (const v of Object.values(r.result!)) expect(v).toMatchObject({ [SIG]: "1b47061264138c4ac30d75fd1eb44270" });
    });

    it("Invoke with an unknown argument answers without a request", async () => {
      const before = requests();
      for (const [tok, args] of [
        ["otcjobs:index:getDdmJob", { jobId: UNKNOWN }],
        ["otcjobs:index:getDdmJobs", { name: [UNKNOWN, "x"] }],
        ["otcjobs:index:getDrsJobs", { dbUseType: UNKNOWN }],
      ] as const) {
        expect(await invoke(tok, args)).toEqual({ result: undefined, failures: [] });
      }
      expect(requests()).toBe(before);
    });

    it("Invoke names bad arguments as CheckFailures, before any request", async () => {
      const before = requests();
      expect((await invoke("otcjobs:index:getDdmJobs", { phase: ["running", "done"], jobid: "x" })).failures).toEqual([
        { property: "phase[1]", reason: '"done" is not a phase; use one of pending, running, waiting, succeeded, failed, canceled, unknown' },
        { property: "jobid", reason: "is not an argument of getDdmJobs (arguments: phase, startTime, endTime, status, name, id, instanceId, maxItems)" },
      ]);
      expect((await invoke("otcjobs:index:getDdmJobs", { phase: "done" })).failures).toEqual([
        { property: "phase", reason: expect.stringContaining('"done" is not a phase') },
      ]);
      expect((await invoke("otcjobs:index:getDdmJob", { jobId: "bad id!" })).failures).toEqual([
        { property: "jobId", reason: "must be a job id (letters, digits and dashes)" },
      ]);
      expect((await invoke("otcjobs:index:getDrsJobs", {})).failures.map((f) => f.property)).toEqual(["dbUseType"]);
      expect((await invoke("otcjobs:index:getDdmJobs", { startTime: "45d" })).failures).toEqual([{ property: "startTime", reason: expect.stringContaining("30") }]);
      expect(requests()).toBe(before);
      await expect(invoke("otcjobs:index:getS3Buckets", {})).rejects.toMatchObject({ details: expect.stringContaining("unknown function otcjobs:index:getS3Buckets") });
    });

    const gateProps = (extra: Json) => struct({ pollInterval: "1s", timeout: "60s", ...extra });

    it("JobGate Check tolerates unknowns, names bad inputs, returns the inputs with secrets wrapped", async () => {
      const check = async (news: Json) => {
        const req = new pb.CheckRequest();
        req.setUrn(GATE_URN);
        req.setNews(struct(news));
        const res = await p.rpc<pb.CheckRequest, pb.CheckResponse>("check", req);
        return { inputs: seen(res.getInputs()!.toJavaScript()), failures: res.getFailuresList().map((f) => f.getProperty()) };
      };
      const unknowns = { service: UNKNOWN, jobIds: [UNKNOWN], timeout: UNKNOWN, credentials: wrapSecret({ token: "tok-GATE" }) };
      expect(await check(unknowns)).toEqual({ inputs: unknowns, failures: [] });
      expect((await check({ service: "s3", jobIds: ["bad id!"] })).failures).toEqual(["service", "jobIds[0]"]);
    });

    it("JobGate Diff reports replaces and a detailed diff", async () => {
      const req = new pb.DiffRequest();
      req.setUrn(GATE_URN);
      req.setId("ddm:a");
      req.setOlds(struct({ service: "ddm", jobIds: ["a"], timeout: "1m", jobs: [], checkedAt: "x" }));
      req.setNews(struct({ service: "ddm", jobIds: [UNKNOWN], timeout: "2m" }));
      const res = await p.rpc<pb.DiffRequest, pb.DiffResponse>("diff", req);
      expect(res.getChanges()).toBe(pb.DiffResponse.DiffChanges.DIFF_SOME);
      expect(res.getReplacesList()).toEqual(["jobIds"]);
      expect(res.getHasdetaileddiff()).toBe(true);
      expect(res.getDetaileddiffMap().getEntryList().map(([k]) => k)).toEqual(["jobIds", "timeout"]);
      expect(res.getDetaileddiffMap().get("jobIds")!.getKind()).toBe(pb.PropertyDiff.Kind.UPDATE_REPLACE);
      expect(res.getDetaileddiffMap().get("timeout")!.getKind()).toBe(pb.PropertyDiff.Kind.UPDATE);
    });

    it("JobGate Create waits with progress as ephemeral Engine.Log lines; Read refreshes; Update re-checks; Delete is a no-op", async () => {
      const job = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 2500, outcome: "Completed" } });
      const req = new pb.CreateRequest();
      req.setUrn(GATE_URN);
      req.setProperties(gateProps({ service: "ddm", jobIds: [job.id], credentials: wrapSecret({ token: emu.token }) }));
      const res = await p.rpc<pb.CreateRequest, pb.CreateResponse>("create", req);
      expect(res.getId()).toBe(gateId({ service: "ddm", jobIds: [job.id] }));
      const state = seen(res.getProperties()!.toJavaScript()) as Json;
      expect(state).not.toHaveProperty("credentials");
      expect(state.jobs).toEqual([expect.objectContaining({ id: job.id, phase: "succeeded" })]);
      const gateJob = (buildSchema(VERSION) as { types: Record<string, { properties: Json }> }).types["otcjobs:index:GateJob"]!;
      expect(Object.keys((state.jobs as Json[])[0]!).sort()).toEqual(Object.keys(gateJob.properties).sort());
      const progress = p.engine.logs.filter((l) => l.urn === GATE_URN);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((l) => l.ephemeral && l.severity === 1)).toBe(true);
      expect(progress[0]!.message).toMatch(/^JobGate ddm: 0 of 1 done after \d+ s; waiting for migrateLogicDb [A-Za-z]+/);

      const read = new pb.ReadRequest();
      read.setUrn(GATE_URN);
      read.setId(res.getId());
      read.setProperties(res.getProperties());
      read.setInputs(gateProps({ service: "ddm", jobIds: [job.id], credentials: wrapSecret({ token: emu.token }) }));
      const refreshed = await p.rpc<pb.ReadRequest, pb.ReadResponse>("read", read);
      expect(refreshed.getId()).toBe(res.getId());
      expect(seen(refreshed.getProperties()!.toJavaScript())).toMatchObject({ jobs: [expect.objectContaining({ id: job.id })] });

      const upd = new pb.UpdateRequest();
      upd.setUrn(GATE_URN);
      upd.setId(res.getId());
      upd.setOlds(res.getProperties());
      upd.setNews(gateProps({ service: "ddm", jobIds: [job.id], timeout: "90s" }));
      const updated = seen((await p.rpc<pb.UpdateRequest, pb.UpdateResponse>("update", upd)).getProperties()!.toJavaScript()) as Json;
      expect(updated).toMatchObject({ timeout: "90s", summary: expect.objectContaining({ total: 1 }) });

      const del = new pb.DeleteRequest();
      del.setUrn(GATE_URN);
      del.setId(res.getId());
      await expect(p.rpc("delete", del)).resolves.toBeInstanceOf(Empty);
    });

    it("JobGate with secret jobIds: the id names no job, jobs[] comes back wrapped, no log line or error quotes the id", async () => {
      const ok = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 1500, outcome: "Completed" } });
      const req = new pb.CreateRequest();
      req.setUrn(GATE_URN);
      req.setProperties(gateProps({ service: "ddm", jobIds: wrapSecret([ok.id]) }));
      const res = await p.rpc<pb.CreateRequest, pb.CreateResponse>("create", req);
      expect(res.getId()).toMatch(/^ddm:sel-[0-9a-f]{24}$/);
      const state = seen(res.getProperties()!.toJavaScript()) as Json;
      expect(state.jobIds).toEqual(wrapSecret([ok.id]));
      expect(state.jobs).toEqual(wrapSecret([expect.objectContaining({ id: ok.id, phase: "succeeded" })]));
      expect(JSON.stringify(outsideSecrets(state))).not.toContain(ok.id);
      expect(p.engine.logs.filter((l) => l.message.includes(ok.id))).toEqual([]);

      const bad = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 200, outcome: "Failed", failReason: "shard 2 unreachable" } });
      const failing = new pb.CreateRequest();
      failing.setUrn(GATE_URN);
      failing.setProperties(gateProps({ service: "ddm", jobIds: [wrapSecret(bad.id)] }));
      const e = (await p.rpc("create", failing).catch((x: unknown) => x)) as { details: string };
      expect(e.details).toContain("migrateLogicDb");
      expect(e.details).toContain("shard 2 unreachable");
      expect(e.details).not.toContain(bad.id);
    });

    it("JobGate Read by id alone (pulumi import, JobGate.get) reads the jobs the id names; a digest id names none", async () => {
      const job = emu.admin.addJob("dds", { name: "RestartInstance", timeline: { runForMs: 0, outcome: "Completed" } });
      const read = new pb.ReadRequest();
      read.setUrn(GATE_URN);
      read.setId(`dds:${job.id}`);
      const res = await p.rpc<pb.ReadRequest, pb.ReadResponse>("read", read);
      expect(res.getId()).toBe(`dds:${job.id}`);
      expect(res.getInputs()!.toJavaScript()).toEqual({ service: "dds", jobIds: [job.id] });
      expect(seen(res.getProperties()!.toJavaScript())).toMatchObject({ service: "dds", jobIds: [job.id], jobs: [expect.objectContaining({ id: job.id, phase: "succeeded" })] });

      const digest = new pb.ReadRequest();
      digest.setUrn(GATE_URN);
      digest.setId("ddm:sel-0123456789abcdef01234567");
      await expect(p.rpc("read", digest)).rejects.toMatchObject({ details: expect.stringContaining("names no jobs: import a gate as <service>:<job-id>") });
    });

    it("JobGate Create fails naming the failed job", async () => {
      const job = emu.admin.addJob("dds", { name: "RestartInstance", timeline: { runForMs: 200, outcome: "Failed", failReason: "node dds-2 did not come back" } });
      const req = new pb.CreateRequest();
      req.setUrn(GATE_URN);
      req.setProperties(gateProps({ service: "dds", jobIds: [job.id] }));
      await expect(p.rpc("create", req)).rejects.toMatchObject({ details: `1 of 1 job(s) failed: DDS RestartInstance ${job.id} is Failed (node dds-2 did not come back)` });
    });

    it("Cancel during a gate ends it at once", async () => {
      const job = emu.admin.addJob("ddm", { name: "EnlargeNode", timeline: { runForMs: 600_000 } });
      const req = new pb.CreateRequest();
      req.setUrn(GATE_URN);
      req.setProperties(gateProps({ service: "ddm", jobIds: [job.id], timeout: "10m" }));
      const started = Date.now();
      const pending = p.rpc("create", req).then(
        () => undefined,
        (e: { details: string }) => e,
      );
      while (!p.engine.logs.some((l) => l.message.includes("EnlargeNode"))) await new Promise((r) => setTimeout(r, 50));
      await p.rpc("cancel", new Empty());
      const e = await pending;
      expect(e).toMatchObject({ details: expect.stringContaining("JobGate (canceled by the engine): aborted") });
      expect(Date.now() - started).toBeLessThan(30_000);
    });

    it("Create honours the request's timeout", async () => {
      const job = emu.admin.addJob("ddm", { name: "EnlargeNode", timeline: { runForMs: 600_000 } });
      const req = new pb.CreateRequest();
      req.setUrn(GATE_URN);
      req.setTimeout(1);
      req.setProperties(gateProps({ service: "ddm", jobIds: [job.id], timeout: "10m" }));
      await expect(p.rpc("create", req)).rejects.toMatchObject({ details: expect.stringContaining("the operation's timeout of 1 s passed") });
    });

    it("never returns a secret unwrapped, and never writes one to stderr", () => {
      const all = responses.join("\n");
      expect(responses.length).toBeGreaterThan(10);
      for (const secret of [emu.token, "tok-GATE", "tok-CHECKCONFIG", "pw-CHECKCONFIG"]) expect(all).not.toContain(secret);
      expect(p.plugin.stderr()).not.toContain(emu.token);
    });

    it("Attach switches the engine it logs to", async () => {
      const a = new pluginPb.PluginAttach();
      a.setAddress(p.engine.address);
      await expect(p.rpc("attach", a)).resolves.toBeInstanceOf(Empty);
    });

    it("exits cleanly on SIGTERM, even with a gate running", async () => {
      const job = emu.admin.addJob("ddm", { name: "EnlargeNode", timeline: { runForMs: 600_000 } });
      const req = new pb.CreateRequest();
      req.setUrn(GATE_URN);
      req.setProperties(gateProps({ service: "ddm", jobIds: [job.id], timeout: "10m" }));
      const pending = p.rpc("create", req).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 500));
      p.plugin.child.kill("SIGTERM");
      expect(await p.plugin.exited).toEqual({ code: 0, signal: null });
      await pending;
    });
  });
}
