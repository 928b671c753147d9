/**
 * DESIGN.md 7 on the wire: what is retried, how long we wait, and that the retry budget belongs to
 * one request of one call (never to a client or the process).
 */
import { getEventListeners } from "node:events";
import type { ServerResponse } from "node:http";
import {
  createClient,
  DeadlineExceededError,
  getDdmJob,
  listDdmJobs,
  OtcApiError,
  type RequestLogEvent,
} from "../../provider";
import { createDispatcher, newCallContext, parseRetryAfter, Transport } from "../../provider/http";
import { failure } from "../helpers/failure";
import { json, scriptedServer } from "../helpers/scripted-server";
import { spyAuth } from "../helpers/spy-auth";

const projectId = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";
const JOB = { id: "j", name: "CreateInstance", status: "Completed", created_time: "", end_time: "", process: "" };

function busy(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  json(res, status, { error_code: status === 429 ? "APIGW.0308" : "APIGW.0201", error_msg: "busy" }, headers);
}

/** `fails` failures (of `status`) for each distinct request path, then success. */
function flakyPerPath(fails: number, status = 503) {
  const seen = new Map<string, number>();
  return (req: { url: string }, res: ServerResponse) => {
    const path = req.url.split("?")[0]!;
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    if (n <= fails) return busy(res, status);
    json(res, 200, { job: { ...JOB, id: path.split("/").pop() } });
  };
}

describe("what is retried", () => {
  it.each([429, 500, 502, 503, 504])("HTTP %i", async (status) => {
    const server = await scriptedServer(flakyPerPath(2, status));
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 2, baseDelayMs: 1 } });
    expect((await getDdmJob(client, "job-1")).id).toBe("job-1");
    expect(server.requests).toHaveLength(3);
    await client.close();
    await server.close();
  });

  it.each([400, 401, 403, 404, 409, 501])("not HTTP %i", async (status) => {
    const server = await scriptedServer(flakyPerPath(5, status));
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 5, baseDelayMs: 1 } });
    const err = (await failure(getDdmJob(client, "job-1"))) as OtcApiError;
    expect(err).toMatchObject({ status, retryable: false, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    await client.close();
    await server.close();
  });

  it("network errors (the server drops the connection)", async () => {
    let n = 0;
    const server = await scriptedServer((_req, res) => {
      if (++n <= 2) return res.socket?.destroy();
      json(res, 200, { job: JOB });
    });
    const log: RequestLogEvent[] = [];
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { baseDelayMs: 1 }, logger: (e) => log.push(e) });
    expect((await getDdmJob(client, "j")).id).toBe("j");
    expect(log.map((e) => e.error)).toEqual(["NETWORK", "NETWORK", undefined]);
    await client.close();
    await server.close();
  });

  it("maxRetries: 0 makes one attempt", async () => {
    const server = await scriptedServer(flakyPerPath(1));
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 0 } });
    expect(await failure(getDdmJob(client, "j"))).toMatchObject({ status: 503, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    await client.close();
    await server.close();
  });
});

describe("how long we wait", () => {
  /** A transport on `url` whose jitter draw is fixed, logging each attempt. */
  function transport(url: string, opts: { random: number; maxRetries: number; baseDelayMs: number; maxDelayMs: number }) {
    const log: RequestLogEvent[] = [];
    const dispatcher = createDispatcher({ connections: 2 });
    const t = new Transport({
      auth: spyAuth(),
      dispatcher,
      attemptTimeoutMs: 2_000,
      retry: { maxRetries: opts.maxRetries, baseDelayMs: opts.baseDelayMs, maxDelayMs: opts.maxDelayMs },
      logger: (e) => log.push(e),
      userAgent: "test",
      random: () => opts.random,
    });
    const send = (deadlineMs = 10_000) =>
      t.send({ method: "GET", url: new URL(`${url}/v3/${projectId}/jobs/j`) }, newCallContext("ddm", "ShowJob", deadlineMs));
    return { send, log, close: () => dispatcher.close() };
  }

  it("full jitter below a doubling ceiling, capped at maxDelayMs", async () => {
    const server = await scriptedServer((_req, res) => busy(res, 503));
    for (const [random, want] of [
      [0.5, [2, 4, 8, 10, 10, 10]],
      [0.999, [3, 7, 15, 19, 19, 19]],
      [0, [0, 0, 0, 0, 0, 0]],
    ] as const) {
      const t = transport(server.url, { random, maxRetries: 6, baseDelayMs: 4, maxDelayMs: 20 });
      expect(await failure(t.send())).toMatchObject({ status: 503, attempts: 7 });
      expect(t.log.map((e) => e.retryInMs)).toEqual([...want, undefined]);
      await t.close();
    }
    await server.close();
  });

  it("Retry-After (seconds or an HTTP date) replaces the backoff", async () => {
    const at = new Date(Date.now() + 2_000).toUTCString();
    const answers: Array<[number, Record<string, string>]> = [
      [429, { "retry-after": "0" }],
      [503, { "retry-after": "0" }],
      [429, {}],
      [429, { "retry-after": at }],
    ];
    const server = await scriptedServer((_req, res) => {
      const next = answers.shift();
      if (next) return busy(res, ...next);
      json(res, 200, { job: JOB });
    });
    const t = transport(server.url, { random: 0.5, maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 });
    // The date is 1-2 s away (whole seconds): more than the deadline allows, so the call stops there.
    const err = await failure(t.send(1_000));
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(t.log.map((e) => [e.status, e.retryInMs])).toEqual([
      [429, 0],
      [503, 0],
      [429, 200], // no Retry-After: backoff, 0.5 x 100 x 2^2
      [429, expect.any(Number)],
    ]);
    expect(t.log[3]!.retryInMs).toBeGreaterThanOrEqual(1_000);
    expect(parseRetryAfter(at)).toBeGreaterThanOrEqual(1);
    await t.close();
    await server.close();
  });

  it("a backoff that would end past the deadline is not slept: the call ends at once", async () => {
    const server = await scriptedServer((_req, res) => busy(res, 503));
    const t = transport(server.url, { random: 0.999, maxRetries: 5, baseDelayMs: 5_000, maxDelayMs: 5_000 });
    const started = Date.now();
    const err = (await failure(t.send(1_000))) as DeadlineExceededError;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err.cause).toMatchObject({ status: 503, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(500);
    await t.close();
    await server.close();
  });
});

describe("the budget is per request of one call, never shared", () => {
  it("two clients failing at once each get their full budget", async () => {
    const server = await scriptedServer(flakyPerPath(3));
    const opts = { projectId, token: "t", endpoint: server.url, retry: { maxRetries: 3, baseDelayMs: 1 } };
    const a = createClient(opts);
    const b = createClient(opts);
    const got = await Promise.all([getDdmJob(a, "from-a"), getDdmJob(b, "from-b"), getDdmJob(a, "from-a-2"), getDdmJob(b, "from-b-2")]);
    expect(got.map((j) => j.id)).toEqual(["from-a", "from-b", "from-a-2", "from-b-2"]);
    // 4 attempts each: 3 failures, then success. A shared budget of 3 retries would have run out.
    expect(server.requests).toHaveLength(16);
    await a.close();
    await b.close();
    await server.close();
  });

  it("a call that spent its budget leaves the next call's untouched", async () => {
    const flaky = flakyPerPath(2);
    const server = await scriptedServer((req, res) => (req.url.endsWith("/doomed") ? busy(res, 503) : flaky(req, res)));
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 2, baseDelayMs: 1 } });
    for (let i = 0; i < 3; i++) {
      expect(await failure(getDdmJob(client, "doomed"))).toMatchObject({ status: 503, attempts: 3 });
    }
    // Six retries spent above; this call still gets its own two.
    expect((await getDdmJob(client, "lucky")).id).toBe("lucky");
    expect(server.requests.filter((r) => r.url.endsWith("/lucky"))).toHaveLength(3);
    await client.close();
    await server.close();
  });

  it("every page of one listing has its own budget", async () => {
    const PAGES = 12;
    const seen = new Map<string, number>();
    const server = await scriptedServer((req, res) => {
      const offset = new URL(req.url, "http://x").searchParams.get("offset")!;
      const n = (seen.get(offset) ?? 0) + 1;
      seen.set(offset, n);
      if (n <= 2) return busy(res, n === 1 ? 503 : 429, n === 1 ? {} : { "retry-after": "0" });
      const jobs = Array.from({ length: 10 }, (_, i) => ({ ...JOB, id: `p${offset}-${i}` }));
      json(res, 200, { jobs, total: PAGES * 10 });
    });
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 2, baseDelayMs: 1 }, concurrency: 12 });
    const r = await listDdmJobs(client, { startTime: "1d", pageSize: 10 });
    expect(r.jobs).toHaveLength(PAGES * 10);
    expect(server.requests).toHaveLength(PAGES * 3);
    await client.close();
    await server.close();
  });
});

describe("many pages backing off at once", () => {
  it("abort listeners grow with the concurrency, not with pages or retries, and none are left behind", async () => {
    const PAGES = 40;
    const seen = new Set<string>();
    const server = await scriptedServer((req, res) => {
      const offset = new URL(req.url, "http://x").searchParams.get("offset")!;
      if (offset !== "0" && !seen.has(offset)) {
        seen.add(offset);
        return busy(res, 503);
      }
      json(res, 200, { jobs: Array.from({ length: 10 }, (_, i) => ({ ...JOB, id: `p${offset}-${i}` })), total: PAGES * 10 });
    });
    // Up to 200 ms of jitter: many of the 39 pages are asleep at the same moment.
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { baseDelayMs: 200 }, concurrency: 20 });
    // Node prints MaxListenersExceededWarning from its own realm, which jest's `process` does not
    // see; so watch the listener counts directly.
    let most = 0;
    const targets = new Set<EventTarget>();
    const add = EventTarget.prototype.addEventListener;
    const spy = jest.spyOn(EventTarget.prototype, "addEventListener").mockImplementation(function (this: EventTarget, ...args) {
      add.apply(this, args);
      if (args[0] !== "abort") return;
      targets.add(this);
      most = Math.max(most, getEventListeners(this, "abort").length);
    });
    try {
      expect((await listDdmJobs(client, { startTime: "1d", pageSize: 10 })).jobs).toHaveLength(PAGES * 10);
      expect(server.requests).toHaveLength(PAGES * 2 - 1);
      expect(most).toBeGreaterThan(0);
      // One per page in flight (attempt or backoff sleep) plus the listing's own link.
      expect(most).toBeLessThanOrEqual(20 + 2);
      // Every attempt and sleep removed its listener when it ended.
      expect([...targets].map((t) => getEventListeners(t, "abort").length).filter((n) => n > 0)).toEqual([]);
    } finally {
      spy.mockRestore();
      await client.close();
      await server.close();
    }
  });
});
