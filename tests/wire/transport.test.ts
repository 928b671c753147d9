import {
  createClient,
  DeadlineExceededError,
  getDdmJob,
  listDrsJobs,
  OtcApiError,
  type RequestLogEvent,
  ResponseShapeError,
} from "../../provider";
import { failure } from "../helpers/failure";
import { json, scriptedServer } from "../helpers/scripted-server";

const projectId = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";
const job = { id: "31b8ae23-c687-4d80-b7b4-42a66c9bb886", name: "CreateInstance", status: "Completed", created_time: "", end_time: "", process: "" };

describe("transport", () => {
  it.each([
    ["APIGW", 401, { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information: decrypt token fail", request_id: "abc123" }, "APIGW.0301", "Incorrect IAM authentication information: decrypt token fail"],
    ["OTC DDM", 400, { errCode: "DBS.300400", externalMessage: "Task not found" }, "DBS.300400", "Task not found"],
    ["Keystone", 404, { error: { code: 404, title: "Not Found", message: "Could not find project" } }, "404", "Could not find project"],
    ["empty", 500, "", "HTTP_500", "no error body"],
  ])("reads %s error bodies into OtcApiError", async (_l, status, body, code, message) => {
    const server = await scriptedServer((_req, res) => json(res, status, body, { "x-request-id": "req-7" }));
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 0 } });
    const err = (await failure(getDdmJob(client, job.id))) as OtcApiError;
    expect(err).toBeInstanceOf(OtcApiError);
    expect(err).toMatchObject({ service: "ddm", operation: "ShowJob", status, apiCode: code, detail: message, requestId: "req-7" });
    expect(err.message).toBe(`DDM ShowJob failed: HTTP ${status} ${code}: ${message} (request id req-7)`);
    await client.close();
    await server.close();
  });

  it("retries 503 and 429 with Retry-After, then succeeds; logs every attempt", async () => {
    const answers = [503, 429, 200];
    const server = await scriptedServer((_req, res) => {
      const status = answers.shift()!;
      if (status === 200) return json(res, 200, { job });
      json(res, status, { error_code: status === 429 ? "APIGW.0308" : "SYS.503", error_msg: "busy" }, status === 429 ? { "retry-after": "1" } : {});
    });
    const log: RequestLogEvent[] = [];
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { baseDelayMs: 1 }, logger: (e) => log.push(e) });
    const started = Date.now();
    expect((await getDdmJob(client, job.id)).phase).toBe("succeeded");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(log.map((e) => [e.attempt, e.status, e.error])).toEqual([
      [1, 503, "SYS.503"],
      [2, 429, "APIGW.0308"],
      [3, 200, undefined],
    ]);
    expect(log[1]!.retryInMs).toBe(1000);
    await client.close();
    await server.close();
  });

  it("does not retry a 400, and counts attempts when retries run out", async () => {
    const server = await scriptedServer((req, res) =>
      req.url.includes("bad") ? json(res, 400, { error_code: "DBS.280001", error_msg: "bad" }) : json(res, 502, ""),
    );
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 2, baseDelayMs: 1 } });
    await failure(getDdmJob(client, "bad"));
    expect(server.requests).toHaveLength(1);
    const err = (await failure(getDdmJob(client, "flaky"))) as OtcApiError;
    expect(err.attempts).toBe(3);
    expect(err.message).toMatch(/^DDM ShowJob failed after 3 attempts: HTTP 502/);
    await client.close();
    await server.close();
  });

  it("gives up at the call's deadline instead of hanging on a silent server", async () => {
    const server = await scriptedServer(() => undefined);
    const client = createClient({ projectId, token: "t", endpoint: server.url, attemptTimeoutMs: 200, deadlineMs: 700, retry: { baseDelayMs: 1 } });
    const started = Date.now();
    const err = await failure(getDdmJob(client, job.id));
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err.message).toMatch(/^DDM ShowJob: deadline of 700 ms exceeded; last error: .*TIMEOUT/);
    expect(Date.now() - started).toBeLessThan(1500);
    await client.close();
    await server.close();
  });

  it("retries a malformed body; a job without a required field is returned and its problem named", async () => {
    let n = 0;
    const server = await scriptedServer((_req, res) => {
      n++;
      if (n === 1) return json(res, 200, '{"jobs": [{"id": "x"');
      json(res, 200, { total_record: 1, jobs: [{ name: "DRS-1", status: "CREATING" }] });
    });
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { baseDelayMs: 1 } });
    const r = await listDrsJobs(client, { dbUseType: "sync" });
    expect(r.jobs).toMatchObject([{ id: "", name: "DRS-1", status: "CREATING" }]);
    expect(r.problems).toMatchObject([{ service: "drs", jobId: "", path: "jobs[0].id" }]);
    expect(n).toBe(2);
    // A reply that is not a list of jobs is still a shape error, naming where.
    const bad = await scriptedServer((_req, res) => json(res, 200, { total_record: 1, jobs: { id: "x" } }));
    const other = createClient({ projectId, token: "t", endpoint: bad.url, retry: { maxRetries: 0 } });
    const err = await failure(listDrsJobs(other, { dbUseType: "sync" }));
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.message).toMatch(/^DRS ListJobs: unexpected response at jobs: /);
    await other.close();
    await bad.close();
    await client.close();
    await server.close();
  });

  it("accepts unknown statuses and extra fields", async () => {
    const server = await scriptedServer((_req, res) =>
      json(res, 200, { total_record: 1, new_field: {}, jobs: [{ id: "j1", status: "QUANTUM_SYNC", flavor: "x", children: null }] }),
    );
    const client = createClient({ projectId, token: "t", endpoint: server.url });
    const r = await listDrsJobs(client, { dbUseType: "sync" });
    expect(r.jobs[0]).toMatchObject({ id: "j1", status: "QUANTUM_SYNC", phase: "unknown", name: "", children: [] });
    // engine_type "" (every engine), as the reference's example request sends it.
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ cur_page: 1, per_page: 100, db_use_type: "sync", engine_type: "" });
    expect(server.requests[0]!.headers["x-auth-token"]).toBe("t");
    await client.close();
    await server.close();
  });
});
