/**
 * The "done when", acting as the engine: start bin/pulumi-resource-otcjobs, read the schema,
 * configure it with a secret token, and invoke every function against a server we did not write the
 * answers of: the API reference's example bodies verbatim (tests/fixtures/otc; the DDS v3.1 list, which the reference
 * does not show, shaped after Huawei's SDK models). Each job comes back exactly
 * once, the token reaches the server but no response, and a JobGate with unknowns passes Check.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UNKNOWN, wrapSecret } from "../../provider/gate";
import { json, scriptedServer } from "../helpers/scripted-server";
import { pb, struct } from "../pulumi/grpc-harness";
import { PLUGIN, startPlugin, type RunningPlugin } from "./plugin-harness";

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", name), "utf8"));
const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";
const TOKEN = "tok-REFERENCE-7f3a";

let server: Awaited<ReturnType<typeof scriptedServer>>;
let p: RunningPlugin;

beforeAll(async () => {
  server = await scriptedServer((req, res) => {
    const path = req.url.split("?")[0]!;
    if (req.headers["x-auth-token"] !== TOKEN) return json(res, 401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" });
    if (path === `/ddm/v3/${projectId}/jobs`) return json(res, 200, fixture("otc/ddm-list.response.json"));
    if (path.startsWith(`/ddm/v3/${projectId}/jobs/`)) return json(res, 200, fixture("otc/ddm-job.response.json"));
    if (path === `/dds/v3.1/${projectId}/jobs`) return json(res, 200, fixture("sdk-shaped/dds-v3.1-list.response.json"));
    if (path === `/dds/v3/${projectId}/jobs`) return json(res, 200, fixture("otc/dds-job.completed.response.json"));
    if (path === `/drs/v3/${projectId}/jobs`) return json(res, 200, fixture("otc/drs-list.response.json"));
    json(res, 404, { error_code: "APIGW.0101", error_msg: "not found" });
  });
  p = await startPlugin(PLUGIN, { endpoint: server.url, projectId });
}, 60_000);
afterAll(async () => {
  await p?.stop();
  await server?.close();
});

it("schema, secret token, every function against the reference's bodies, unknowns in Check", async () => {
  const schema = JSON.parse((await p.rpc<pb.GetSchemaRequest, pb.GetSchemaResponse>("getSchema", new pb.GetSchemaRequest())).getSchema());
  expect(Object.keys(schema.functions)).toHaveLength(5);

  const conf = new pb.ConfigureRequest();
  conf.setArgs(struct({ token: wrapSecret(TOKEN) }));
  await p.rpc("configure", conf);

  const responses: string[] = [];
  const invoke = async (tok: string, args: Record<string, unknown>) => {
    const req = new pb.InvokeRequest();
    req.setTok(tok);
    req.setArgs(struct(args));
    const res = await p.rpc<pb.InvokeRequest, pb.InvokeResponse>("invoke", req);
    expect(res.getFailuresList().map((f) => f.getReason())).toEqual([]);
    const value = res.getReturn()!.toJavaScript() as Record<string, unknown>;
    responses.push(JSON.stringify(value));
    return value;
  };
  const ids = (r: Record<string, unknown>) => (r.jobs as Array<{ id: string }>).map((j) => j.id);
  const expected = (name: string) => (fixture(name).jobs as Array<{ id: string }>).map((j) => j.id);

  const ddm = await invoke("otcjobs:index:getDdmJobs", {});
  expect(ids(ddm).sort()).toEqual(expected("otc/ddm-list.response.json").sort());
  const dds = await invoke("otcjobs:index:getDdsJobs", {});
  expect(ids(dds).sort()).toEqual(expected("sdk-shaped/dds-v3.1-list.response.json").sort());
  const drs = await invoke("otcjobs:index:getDrsJobs", { dbUseType: "migration" });
  expect(ids(drs).sort()).toEqual(expected("otc/drs-list.response.json").sort());
  expect(await invoke("otcjobs:index:getDdmJob", { jobId: fixture("otc/ddm-job.response.json").job.id })).toMatchObject({ id: fixture("otc/ddm-job.response.json").job.id, service: "ddm" });
  expect(await invoke("otcjobs:index:getDdsJob", { jobId: fixture("otc/dds-job.completed.response.json").job.id })).toMatchObject({ id: fixture("otc/dds-job.completed.response.json").job.id, service: "dds" });

  // The token went to the server on every request, and came back in no response.
  expect(server.requests.length).toBeGreaterThanOrEqual(5);
  expect(server.requests.every((r) => r.headers["x-auth-token"] === TOKEN)).toBe(true);
  expect(responses.join("\n")).not.toContain(TOKEN);

  const check = new pb.CheckRequest();
  check.setUrn("urn:pulumi:dev::app::otcjobs:index:JobGate::migration");
  check.setNews(struct({ service: "ddm", jobIds: [UNKNOWN], timeout: UNKNOWN }));
  expect((await p.rpc<pb.CheckRequest, pb.CheckResponse>("check", check)).getFailuresList()).toEqual([]);
});
