/**
 * Listings against the emulator while it injects faults. Each listing either returns exactly the
 * seeded set (ids compared with admin.jobs) or, once a call's retry budget or deadline is spent,
 * fails with a typed error that names the fault; none outlives its deadline.
 *
 * The emulator decides faults from (seed, request counter), so a run repeats: the requests of one
 * listing may reach it in a different order, but each request takes exactly one decision and each
 * page ends on its first healthy one, so the number of requests and of each fault is fixed.
 */
import { createClient, DeadlineExceededError, listDdmJobs, listDdsJobs, listDrsJobs, OtcApiError, type RequestLogEvent } from "../../provider";
import { clientFor, expectExactly, listAll, seededIds, underFaults, useEmulator } from "./harness";

// With DDS's total_count (the emulator leaves it out by default): then no page is read ahead
// speculatively, and every injected reset is on a request the client logs.
const emulator = useEmulator({ seed: 20261123, jobs: { ddm: 400, dds: 300, drs: 500 }, ddsOmitTotalCount: false });
const PAGE = 25;
/** Scheduling slack over a deadline on a loaded 2-core machine. */
const SLACK_MS = 400;

describe("listings come back complete under faults", () => {
  it("20% 503s", async () => {
    const emu = emulator();
    const { client } = clientFor(emu);
    const r = await underFaults(emu, { errorRate: 0.2, errorStatuses: [503] }, async () => {
      const got = await listAll(client, PAGE);
      return { got, stats: emu.admin.stats() };
    });
    expect(r.error).toBeUndefined();
    expectExactly(r.value!.got, seededIds(emu));
    expect(r.value!.stats.responses["503"]).toBeGreaterThan(5);
    await client.close();
  });

  it("20% of 500, 502, 503 and 504", async () => {
    const emu = emulator();
    const { client, log } = clientFor(emu);
    const r = await underFaults(emu, { errorRate: 0.2, errorStatuses: [500, 502, 503, 504] }, () => listAll(client, PAGE));
    expect(r.error).toBeUndefined();
    expectExactly(r.value!, seededIds(emu));
    const retried = new Set(log.filter((e) => e.retryInMs !== undefined).map((e) => e.status));
    expect([...retried].sort()).toEqual([500, 502, 503, 504]);
    await client.close();
  });

  it("5% connection resets", async () => {
    const emu = emulator();
    const { client, log } = clientFor(emu);
    const r = await underFaults(emu, { resetRate: 0.05 }, async () => ({ got: await listAll(client, PAGE), stats: emu.admin.stats() }));
    expect(r.error).toBeUndefined();
    expectExactly(r.value!.got, seededIds(emu));
    expect(r.value!.stats.faults.reset).toBeGreaterThan(0);
    expect(log.filter((e) => e.error === "NETWORK")).toHaveLength(r.value!.stats.faults.reset);
    await client.close();
  });

  it("a burst of 429s with Retry-After: 1 is waited out, in parallel", async () => {
    const emu = emulator();
    const { client, log } = clientFor(emu, { concurrency: 6 });
    const throttled = { status: 429, retryAfterSeconds: 1 };
    // The first page passes; the six pages fetched next are all throttled once.
    const r = await underFaults(emu, { script: ["ok", ...Array<typeof throttled>(6).fill(throttled)] }, () =>
      listDdmJobs(client, { startTime: "29d", pageSize: 50 }),
    );
    expect(r.error).toBeUndefined();
    expect(r.value!.jobs.map((j) => j.id).sort()).toEqual(seededIds(emu).ddm.sort());
    const waits = log.filter((e) => e.status === 429);
    expect(waits).toHaveLength(6);
    expect(waits.every((e) => e.error === "APIGW.0308" && e.retryInMs === 1000)).toBe(true);
    // Waited once, not six times in a row.
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(r.elapsedMs).toBeLessThan(1000 + 1000);
    await client.close();
  });

  it("a gateway rate limit (requests/s per project): the adaptive window backs off, every job once, no failed call", async () => {
    const emu = emulator();
    // No concurrency given: the adaptive window starts at 8 and must learn the limit.
    const log: RequestLogEvent[] = [];
    const client = createClient({
      projectId: emu.projectId,
      token: emu.token,
      endpoints: emu.endpoints,
      logger: (e) => log.push(e),
      deadlineMs: 20_000,
    });
    emu.admin.reset();
    emu.admin.setThrottle({ requestsPerSecond: 20, burst: 2 });
    try {
      const r = await listDdmJobs(client, { startTime: "29d", pageSize: 40 });
      const ids = r.jobs.map((j) => j.id);
      expect(ids.sort()).toEqual(seededIds(emu).ddm.sort());
      const throttled = log.filter((e) => e.status === 429);
      expect(throttled.length).toBe(emu.admin.stats().rateLimited);
      expect(throttled.length).toBeGreaterThan(0);
      // Every 429 was retried; none ended a call.
      expect(throttled.every((e) => e.error === "APIGW.0308" && e.retryInMs === 1000)).toBe(true);
      expect(log.filter((e) => e.status === 200)).toHaveLength(Math.ceil(ids.length / 40));
    } finally {
      emu.admin.setThrottle(undefined);
      await client.close();
    }
  });

  it("random 429s (Retry-After: 0) mixed with slow bodies", async () => {
    const emu = emulator();
    const { client } = clientFor(emu);
    const r = await underFaults(emu, { throttleRate: 0.15, retryAfterSeconds: 0, slowBodyMs: 30 }, async () => ({
      got: await listAll(client, PAGE),
      stats: emu.admin.stats(),
    }));
    expect(r.error).toBeUndefined();
    expectExactly(r.value!.got, seededIds(emu));
    expect(r.value!.stats.faults.throttle).toBeGreaterThan(0);
    expect(r.value!.stats.faults.slowBody).toBeGreaterThan(0);
    await client.close();
  });

  it("truncated and malformed JSON bodies are read again", async () => {
    const emu = emulator();
    const { client, log } = clientFor(emu);
    const r = await underFaults(emu, { truncateRate: 0.1, malformedRate: 0.1 }, async () => ({
      got: await listAll(client, PAGE),
      stats: emu.admin.stats(),
    }));
    expect(r.error).toBeUndefined();
    expectExactly(r.value!.got, seededIds(emu));
    const { truncate, malformed } = r.value!.stats.faults;
    expect(truncate).toBeGreaterThan(0);
    expect(malformed).toBeGreaterThan(0);
    expect(log.filter((e) => e.error === "MALFORMED_RESPONSE")).toHaveLength(truncate + malformed);
    await client.close();
  });

  it("everything at once, with latency and jitter", async () => {
    const emu = emulator();
    const { client } = clientFor(emu, { retry: { maxRetries: 10 } });
    const faults = {
      latencyMs: 2,
      jitterMs: 6,
      errorRate: 0.12,
      errorStatuses: [500, 502, 503, 504],
      resetRate: 0.05,
      throttleRate: 0.05,
      retryAfterSeconds: 0,
      truncateRate: 0.05,
      malformedRate: 0.05,
      slowBodyMs: 10,
    };
    const r = await underFaults(emu, faults, async () => ({ got: await listAll(client, PAGE), stats: emu.admin.stats() }));
    expect(r.error).toBeUndefined();
    expectExactly(r.value!.got, seededIds(emu));
    expect(r.value!.stats.faults.total).toBeGreaterThan(10);
    await client.close();
  });

  it("repeats: the same faults give the same request and fault counts", async () => {
    const emu = emulator();
    const faults = { errorRate: 0.2, resetRate: 0.05, truncateRate: 0.05 };
    const counts = [];
    for (let run = 0; run < 2; run++) {
      const { client } = clientFor(emu);
      const r = await underFaults(emu, faults, async () => {
        await listAll(client, PAGE);
        const s = emu.admin.stats();
        return { requests: s.requests.total, faults: s.faults };
      });
      expect(r.error).toBeUndefined();
      counts.push(r.value);
      await client.close();
    }
    expect(counts[1]).toEqual(counts[0]);
  });
});

describe("when the budget is spent, a typed error names the fault", () => {
  const budget = { retry: { maxRetries: 2 } };

  it.each([
    ["503", { errorRate: 1 }, { status: 503, apiCode: "APIGW.0201", message: /HTTP 503 APIGW\.0201: Service temporarily unavailable/ }],
    ["502", { errorRate: 1, errorStatuses: [502] }, { status: 502, apiCode: "APIGW.0201", message: /HTTP 502 APIGW\.0201: Backend unavailable/ }],
    ["connection reset", { resetRate: 1 }, { status: 0, apiCode: "NETWORK", message: /NETWORK: .*(closed|reset|socket)/i }],
    ["truncated body", { truncateRate: 1 }, { status: 200, apiCode: "MALFORMED_RESPONSE", message: /not valid JSON/ }],
    ["malformed body", { malformedRate: 1 }, { status: 200, apiCode: "MALFORMED_RESPONSE", message: /not valid JSON \(\d+ bytes, ends with ".*<\/body><\/html>"\)/ }],
  ])("%s", async (_label, faults, want) => {
    const emu = emulator();
    const { client, log } = clientFor(emu, budget);
    const r = await underFaults(emu, faults, () => listDdsJobs(client, { startTime: "29d", pageSize: PAGE }));
    const err = r.error as OtcApiError;
    expect(err).toBeInstanceOf(OtcApiError);
    expect(err).toMatchObject({ service: "dds", operation: "ListJobs", status: want.status, apiCode: want.apiCode, attempts: 3, retryable: true });
    expect(err.message).toMatch(/^DDS ListJobs failed after 3 attempts: /);
    expect(err.message).toMatch(want.message);
    // The first page failed, so nothing else was read: exactly the budget was spent.
    expect(log).toHaveLength(3);
    await client.close();
  });

  it("429 with a Retry-After longer than the deadline: DeadlineExceededError at once, naming the throttle", async () => {
    const emu = emulator();
    const { client, log } = clientFor(emu, { deadlineMs: 1_500 });
    const r = await underFaults(emu, { throttleRate: 1, retryAfterSeconds: 5 }, () => listDrsJobs(client, { dbUseType: "migration" }));
    expect(r.error).toBeInstanceOf(DeadlineExceededError);
    expect(r.error!.message).toMatch(/^DRS ListJobs: deadline of 1500 ms exceeded; last error: .*HTTP 429 APIGW\.0308/);
    expect(log).toHaveLength(1);
    expect(r.elapsedMs).toBeLessThan(1_000);
    await client.close();
  });

  it("429 with Retry-After: 1 until the deadline: DeadlineExceededError within it, naming the throttle", async () => {
    const emu = emulator();
    const { client, log } = clientFor(emu, { deadlineMs: 1_500, retry: { maxRetries: 20 } });
    const r = await underFaults(emu, { throttleRate: 1, retryAfterSeconds: 1 }, () => listDdmJobs(client, { startTime: "29d" }));
    expect(r.error).toBeInstanceOf(DeadlineExceededError);
    expect((r.error as DeadlineExceededError).cause).toMatchObject({ status: 429, apiCode: "APIGW.0308" });
    // Attempts at 0 s and 1 s; a third would start after the deadline, so the call ends at ~1 s.
    expect(log.map((e) => e.retryInMs)).toEqual([1000, 1000]);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(r.elapsedMs).toBeLessThan(1_500 + SLACK_MS);
    await client.close();
  });

  it("slow bodies past the attempt timeout: TIMEOUT, retried, then OtcApiError", async () => {
    const emu = emulator();
    const { client, log } = clientFor(emu, { attemptTimeoutMs: 200, retry: { maxRetries: 2 } });
    const r = await underFaults(emu, { slowBodyMs: 2_000 }, () => listDdmJobs(client, { startTime: "29d", pageSize: PAGE }));
    expect(r.error).toBeInstanceOf(OtcApiError);
    expect(r.error).toMatchObject({ apiCode: "TIMEOUT", status: 0, attempts: 3 });
    expect(log.map((e) => e.error)).toEqual(["TIMEOUT", "TIMEOUT", "TIMEOUT"]);
    expect(r.elapsedMs).toBeLessThan(3 * 200 + 3 * 40 + SLACK_MS);
    await client.close();
  });

  it("slow bodies and a short deadline: DeadlineExceededError, not a hang", async () => {
    const emu = emulator();
    const { client } = clientFor(emu, { attemptTimeoutMs: 5_000, deadlineMs: 600 });
    const r = await underFaults(emu, { slowBodyMs: 3_000 }, () => listDdmJobs(client, { startTime: "29d", pageSize: PAGE }));
    expect(r.error).toBeInstanceOf(DeadlineExceededError);
    expect(r.error!.message).toMatch(/^DDM ListJobs: deadline of 600 ms exceeded/);
    expect(r.elapsedMs).toBeLessThan(600 + SLACK_MS);
    await client.close();
  });

  it("a server that holds every request: DeadlineExceededError at the deadline", async () => {
    const emu = emulator();
    const { client } = clientFor(emu, { deadlineMs: 500 });
    const r = await underFaults(emu, { latencyMs: 10_000 }, () => listDrsJobs(client, { dbUseType: "sync" }));
    expect(r.error).toBeInstanceOf(DeadlineExceededError);
    expect(r.error!.message).toMatch(/^DRS ListJobs: deadline of 500 ms exceeded/);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(450);
    expect(r.elapsedMs).toBeLessThan(500 + SLACK_MS);
    await client.close();
  });

  it("a failing page in the middle fails the listing with that page's error, and stops the others", async () => {
    const emu = emulator();
    const { client, log } = clientFor(emu, { retry: { maxRetries: 1 }, concurrency: 4 });
    // Page 1 passes, then every request is a 504.
    const r = await underFaults(emu, { script: ["ok"], errorRate: 1, errorStatuses: [504] }, () =>
      listDdmJobs(client, { startTime: "29d", pageSize: PAGE }),
    );
    expect(r.error).toMatchObject({ name: "OtcApiError", status: 504, apiCode: "APIGW.0201", attempts: 2 });
    // Four pages in flight, two attempts each, plus the first page: nothing more is started. (A page
    // that failed used to free its slot for a new page before the listing noticed: 10 requests.)
    expect(log.length).toBeLessThanOrEqual(1 + 4 * 2);
    await client.close();
  });
});
