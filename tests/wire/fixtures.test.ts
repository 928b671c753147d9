import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient, getDdmJob, getDdsJob, listDdmJobs, listDdsJobs, listDrsJobs } from "../../provider";
import { json, scriptedServer } from "../helpers/scripted-server";

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", name), "utf8"));
const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";

describe("the documentation's example responses parse", () => {
  let server: Awaited<ReturnType<typeof scriptedServer>>;
  beforeAll(async () => {
    server = await scriptedServer((req, res) => {
      const path = req.url.split("?")[0]!;
      if (path === `/ddm/v3/${projectId}/jobs`) return json(res, 200, fixture("ddm-list.json"));
      if (path.startsWith(`/ddm/v3/${projectId}/jobs/`)) return json(res, 200, fixture("ddm-job.json"));
      if (path === `/dds/v3.1/${projectId}/jobs`) return json(res, 200, fixture("dds-list.json"));
      if (path === `/dds/v3/${projectId}/jobs`) return json(res, 200, fixture("dds-job.json"));
      if (path === `/drs/v3/${projectId}/jobs`) return json(res, 200, fixture("drs-list.json"));
      json(res, 404, { error_code: "APIGW.0101", error_msg: "not found" });
    });
  });
  afterAll(() => server.close());
  const client = () => createClient({ projectId, token: "t", endpoint: server.url });

  it("DDM list", async () => {
    const c = client();
    const r = await listDdmJobs(c);
    expect(r.total).toBe(3);
    expect(r.jobs[0]).toEqual({
      service: "ddm",
      id: "92370d30-3ddc-4e05-b8ab-51662d824318",
      name: "migrateLogicDb",
      status: "ToBeSwitched",
      phase: "waiting",
      createdTime: "2025-05-20T15:05:13.000Z",
      endTime: "2025-05-20T15:05:13.000Z",
      process: "",
      instanceId: "733c7e8d73a54c27b8308ec784a8be8cin09",
      instanceName: "UTS-ddm-dtc-src",
      failReason: "",
      databaseName: "db_e487",
      operations: ["modifySwitchingStrategy", "toBeCanceled"],
    });
    expect(r.summary.byPhase).toMatchObject({ waiting: 1, succeeded: 2 });
    await c.close();
  });

  it("DDM job", async () => {
    const c = client();
    const job = await getDdmJob(c, "31b8ae23-c687-4d80-b7b4-42a66c9bb886");
    expect(job).toMatchObject({ status: "Running", phase: "running", process: "60%", instanceName: "DDM-test", createdTime: "2018-08-06T09:41:14.000Z" });
    await c.close();
  });

  it("DDS list without total_count, and the v3 job with a null fail_reason", async () => {
    const c = client();
    const r = await listDdsJobs(c);
    expect(r.jobs).toHaveLength(1);
    expect(r.total).toBe(1);
    expect(r.jobs[0]).toMatchObject({ name: "RestartReplicaSetInstance", phase: "succeeded", createdAt: "2022-09-05T06:24:14.000Z" });
    const job = await getDdsJob(c, "f85104b5-4a9c-4e0f-9505-fc5409d8f7ae");
    expect(job).toMatchObject({ name: "Create_MongoDB", failReason: "", progress: "9%", instanceId: "d87f5b33049144ec95f0cab0a5f22cfbin02" });
    await c.close();
  });

  it("DRS list with no children and a total beyond the page", async () => {
    const c = client();
    const r = await listDrsJobs(c, { dbUseType: "migration", pageSize: 5, maxItems: 5 });
    expect(r.total).toBe(7);
    expect(r.jobs.map((j) => j.phase)).toEqual(["failed", "waiting", "succeeded", "running", "waiting"]);
    expect(r.jobs[0]).toMatchObject({ createTime: "2020-12-21T10:57:49.000Z", jobDirection: "up", billingTag: false, children: [] });
    expect(r.jobs[0]!.errorMsg).toMatch(/^service LOGMANAGER failed/);
    await c.close();
  });
});
