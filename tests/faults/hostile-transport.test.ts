/**
 * Servers that misbehave the way real ones do, at the transport: bodies that trickle or never end,
 * bodies too large to hold, error bodies that echo credentials or carry terminal escapes, and
 * credentials that cannot be sent at all. Every call must end within its deadline, download a huge
 * body at most once, and never show a secret.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import {
  ConfigError,
  createClient,
  CredentialsRejectedError,
  getDdmJob,
  InvalidArgumentError,
  listDdmJobs,
  OtcApiError,
  ResponseTooLargeError,
} from "../../provider";
import { failure } from "../helpers/failure";
import { json, scriptedServer } from "../helpers/scripted-server";

const projectId = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";
const JOB = { id: "j", name: "CreateInstance", status: "Completed", created_time: "", end_time: "", process: "" };

describe("bodies that never finish", () => {
  /**
   * In a child process with --expose-gc that forces collection every 20 ms while the body trickles:
   * timers the call does not hold (AbortSignal.timeout + AbortSignal.any) would be collected and
   * never fire. The child runs the built package (npm test builds first).
   */
  it("the call deadline and the waiter's limit fire while a body trickles, even when the garbage collector runs throughout", async () => {
    const script = `
      const http = require("node:http");
      const { createClient, getDdmJob, waitForJobs } = require(${JSON.stringify(join(__dirname, "../../dist/provider/index.js"))});
      const server = http.createServer((req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"job": {"id": "j", "name": "');
        const t = setInterval(() => res.write("x"), 50);
        res.on("close", () => clearInterval(t));
      });
      server.listen(0, "127.0.0.1", async () => {
        const gc = setInterval(() => global.gc(), 20);
        const client = createClient({ projectId: "${projectId}", token: "t", endpoint: "http://127.0.0.1:" + server.address().port,
          attemptTimeoutMs: 400, deadlineMs: 1200, retry: { maxRetries: 10, baseDelayMs: 1, maxDelayMs: 5 } });
        const results = [];
        let started = Date.now();
        try { await getDdmJob(client, "j"); results.push({ ok: true }); }
        catch (e) { results.push({ name: e.name, code: e.code, ms: Date.now() - started }); }
        // The waiter's own limit (what JobGate and otc-jobs wait use), with attempts that alone would run 60 s.
        const patient = createClient({ projectId: "${projectId}", token: "t", endpoint: "http://127.0.0.1:" + server.address().port,
          attemptTimeoutMs: 60000, deadlineMs: 120000 });
        started = Date.now();
        try { await waitForJobs(patient, { service: "ddm", ids: ["j"] }, {}, { maxWaitMs: 1500 }); results.push({ ok: true }); }
        catch (e) { results.push({ name: e.name, code: e.code, ms: Date.now() - started }); }
        console.log(JSON.stringify(results));
        clearInterval(gc); server.closeAllConnections(); server.close(); await client.close(); await patient.close();
      });`;
    const child = spawn(process.execPath, ["--expose-gc", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const killer = setTimeout(() => child.kill("SIGKILL"), 25_000);
    await new Promise((r) => child.on("exit", r));
    clearTimeout(killer);
    const [call, wait] = JSON.parse(out.trim()) as Array<{ name: string; code: string; ms: number }>;
    expect(call).toMatchObject({ name: "DeadlineExceededError", code: "OTCJOBS_DEADLINE" });
    expect(wait).toMatchObject({ name: "WaitTimeoutError", code: "OTCJOBS_WAIT_TIMEOUT" });
    // The deadline is 1.2 s and the wait's limit 1.5 s; a lost timer would run until the child is killed at 25 s.
    expect(call!.ms).toBeLessThan(8_000);
    expect(wait!.ms).toBeLessThan(8_000);
  }, 30_000);
});

describe("bodies too large to hold", () => {
  it("a body larger than maxResponseBytes ends the call after one download, not retried", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const server = await scriptedServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"job": {"id": "j", "name": "');
      let sent = 0;
      const pump = () => {
        while (sent < 400 && res.write(chunk)) sent += 1;
        if (sent < 400) res.once("drain", pump);
        else res.end('"}}');
      };
      pump();
    });
    const client = createClient({ projectId, token: "t", endpoint: server.url, maxResponseBytes: 1024 * 1024, retry: { baseDelayMs: 1 } });
    const err = await failure(getDdmJob(client, "j"));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ code: "OTCJOBS_RESPONSE_TOO_LARGE", maxBytes: 1024 * 1024 });
    expect(server.requests).toHaveLength(1);
    await client.close();
    await server.close();
  });

  it("a Content-Length above the limit is refused before the body is read", async () => {
    const server = await scriptedServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2 * 1024 * 1024) });
      res.write("{");
      // Never sends the rest: reading the body would wait for the attempt timeout.
    });
    const client = createClient({ projectId, token: "t", endpoint: server.url, maxResponseBytes: 1024 * 1024, attemptTimeoutMs: 20_000 });
    const started = Date.now();
    expect(await failure(getDdmJob(client, "j"))).toBeInstanceOf(ResponseTooLargeError);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.requests).toHaveLength(1);
    await client.close();
    await server.close();
  });
});

describe("server text that must not be shown as it came", () => {
  const token = "MIIEsecret-token-value-0123456789";

  it("an error body echoing the token (raw, JSON-escaped or URL-encoded) is redacted", async () => {
    const server = await scriptedServer((req, res) => {
      const t = String(req.headers["x-auth-token"]);
      json(res, 400, { error_code: "DBS.280001", error_msg: `bad request with token ${t} / ${encodeURIComponent(t)} / ${JSON.stringify(t)}` });
    });
    const client = createClient({ projectId, token, endpoint: server.url });
    const err = (await failure(getDdmJob(client, "j"))) as OtcApiError;
    expect(err).toBeInstanceOf(OtcApiError);
    expect(`${err.message} ${err.detail} ${JSON.stringify(err)}`).not.toContain("secret-token-value");
    expect(err.detail).toContain("[redacted]");
    await client.close();
    await server.close();
  });

  it("IAM echoing the password and the token in its errors is redacted", async () => {
    const password = "pa$$word-that-must-not-leak";
    const server = await scriptedServer((req, res) => {
      if (req.url.includes("/v3/auth/tokens")) {
        res.writeHead(201, { "content-type": "application/json", "x-subject-token": "subject-token-0123456789" });
        return res.end(JSON.stringify({ token: { expires_at: new Date(Date.now() + 86_400_000).toISOString(), project: { id: projectId } } }));
      }
      json(res, 401, { error_code: "APIGW.0301", error_msg: `rejected ${req.headers["x-auth-token"]} for user with ${password}` });
    });
    const client = createClient({ projectId, userName: "u", password, domainName: "d", endpoint: server.url });
    const err = await failure(getDdmJob(client, "j"));
    expect(err).toBeInstanceOf(CredentialsRejectedError);
    expect(err).toMatchObject({ code: "OTCJOBS_AUTH", status: 401 });
    expect(err.message).not.toContain(password);
    expect(err.message).not.toContain("subject-token-0123456789");
    await client.close();
    await server.close();
  });

  it("terminal escape sequences and newlines in an error message are removed", async () => {
    const server = await scriptedServer((_req, res) => json(res, 400, { error_code: "DBS.280001", error_msg: "bad\u001b[2J\u001b]0;pwned\u0007\nnext line" }));
    const client = createClient({ projectId, token, endpoint: server.url });
    const err = await failure(getDdmJob(client, "j"));
    // eslint-disable-next-line no-control-regex
    expect(err.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    await client.close();
    await server.close();
  });
});

describe("credentials that cannot be sent", () => {
  it.each([
    ["a newline", "abc\ndef-token"],
    ["a non-Latin-1 character", "tökén-ünicode-✓"],
  ])("a token with %s is refused before any request, as a named argument", async (_label, bad) => {
    const server = await scriptedServer((_req, res) => json(res, 200, { job: JOB }));
    const err = await failure(Promise.resolve().then(() => createClient({ projectId, token: bad, endpoint: server.url })));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ argument: "token", code: "OTCJOBS_INVALID_ARGUMENT" });
    expect(err.message).not.toContain(bad);
    expect(server.requests).toHaveLength(0);
    await server.close();
  });

  it("a custom authenticator that sets an unsendable header is a config error, not retried", async () => {
    const server = await scriptedServer((_req, res) => json(res, 200, { job: JOB }));
    const auth = { kind: "token" as const, authorize: async (r: { headers: Record<string, string> }) => void (r.headers["x-auth-token"] = "a\r\nb") };
    const client = createClient({ projectId, auth, endpoint: server.url, retry: { baseDelayMs: 1 } });
    const err = await failure(listDdmJobs(client, { startTime: "1h" }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: "OTCJOBS_CONFIG" });
    expect(server.requests).toHaveLength(0);
    await client.close();
    await server.close();
  });
});
