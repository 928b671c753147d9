/**
 * The one waiter: its acceptor as a table (every phase × every target), its delay schedule with
 * `random` pinned, and the loop's verdicts on a scripted selection (ids that never appear, jobs that
 * disappear, transient errors) without a server.
 */
import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createClient,
  judge,
  JobNotFoundError,
  JobsFailedError,
  PHASES,
  type Phase,
  pollDelay,
  SUCCEEDED,
  type Verdict,
  waitForJobs,
  WaitTimeoutError,
  type WaitTarget,
  InvalidArgumentError,
  hintsFor,
  type JobRecord,
} from "../../provider";
import { parseTarget } from "../../cli/commands/wait";

const job = (phase: Phase, status = "X", service: JobRecord["service"] = "ddm") => ({ service, status, phase });

describe(judge.name, () => {
  // Rows: the job's phase; columns: the target. The CLI's rule: a job that succeeded has passed
  // any earlier (unfinished) target; a job that ended otherwise short of the target failed.
  const targets: Array<[string, WaitTarget]> = [
    ["succeeded (default)", SUCCEEDED],
    ["pending", { phases: ["pending"] }],
    ["running", { phases: ["running"] }],
    ["waiting", { phases: ["waiting"] }],
    ["succeeded", { phases: ["succeeded"] }],
    ["failed", { phases: ["failed"] }],
    ["canceled", { phases: ["canceled"] }],
  ];
  const expected: Record<Phase, Verdict[]> = {
    //            default    pending    running    waiting    succeeded  failed     canceled
    pending: ["waiting", "done", "waiting", "waiting", "waiting", "waiting", "waiting"],
    running: ["waiting", "waiting", "done", "waiting", "waiting", "waiting", "waiting"],
    waiting: ["waiting", "waiting", "waiting", "done", "waiting", "waiting", "waiting"],
    succeeded: ["done", "done", "done", "done", "done", "failed", "failed"],
    failed: ["failed", "failed", "failed", "failed", "failed", "done", "failed"],
    canceled: ["failed", "failed", "failed", "failed", "failed", "failed", "done"],
    unknown: ["waiting", "waiting", "waiting", "waiting", "waiting", "waiting", "waiting"],
  };
  it.each(PHASES.flatMap((phase) => targets.map(([label, t], i) => [phase, label, t, expected[phase][i]!] as const)))(
    "a %s job against target %s",
    (phase, _label, target, verdict) => {
      expect(judge(job(phase), target)).toBe(verdict);
    },
  );

  it("a status target: reached exactly, passed by success when the status is an intermediate one", () => {
    const sync = { statuses: ["INCRE_TRANSFER_STARTED"] };
    expect(judge(job("running", "INCRE_TRANSFER_STARTED", "drs"), sync)).toBe("done");
    expect(judge(job("running", "FULL_TRANSFER_STARTED", "drs"), sync)).toBe("waiting");
    expect(judge(job("succeeded", "RELEASE_RESOURCE_COMPLETE", "drs"), sync)).toBe("done");
    expect(judge(job("failed", "INCRE_TRANSFER_FAILED", "drs"), sync)).toBe("failed");
    expect(judge(job("waiting", "ToBeSwitched"), { statuses: ["ToBeSwitched"] })).toBe("done");
  });

  it("failPhases fail a job before it finishes", () => {
    expect(judge(job("waiting", "ToBeSwitched"), { phases: ["succeeded"], failPhases: ["waiting"] })).toBe("failed");
  });

  it("the CLI's --until maps onto the same targets the gate takes", () => {
    for (const phase of PHASES) {
      expect(judge(job(phase), parseTarget("ddm", "finished").target)).toBe(judge(job(phase), SUCCEEDED));
      if (phase !== "unknown") expect(judge(job(phase), parseTarget("ddm", phase).target)).toBe(judge(job(phase), { phases: [phase] }));
    }
  });
});

describe(pollDelay.name, () => {
  it("grows ×1.5 from min to max with ±20 % jitter, never below min", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => pollDelay(n, 1000, 10_000, () => 0.5))).toEqual([1000, 1500, 2250, 3375, 5063, 7594, 10_000, 10_000]);
    expect(pollDelay(8, 1000, 10_000, () => 0)).toBe(8000);
    expect(pollDelay(8, 1000, 10_000, () => 0.999)).toBe(11_996);
    expect(pollDelay(1, 1000, 10_000, () => 0)).toBe(1000);
  });
});

describe(hintsFor.name, () => {
  it("names what waiting cannot fix: a DRS sync's steady state, an operator's step", () => {
    const drs = { service: "drs", id: "d1", status: "INCRE_TRANSFER_STARTED", phase: "running", dbUseType: "sync" } as JobRecord;
    const ddm = { service: "ddm", id: "m1", status: "ToBeSwitched", phase: "waiting" } as JobRecord;
    const hints = hintsFor([drs, ddm], SUCCEEDED);
    expect(hints[0]).toMatch(/INCRE_TRANSFER_STARTED.*--until INCRE_TRANSFER_STARTED/);
    expect(hints[1]).toMatch(/ToBeSwitched.*operator/);
    expect(hintsFor([drs], { statuses: ["INCRE_TRANSFER_STARTED"] })).toEqual([]);
  });
});

/** A DDM single-job server answering from a script: `statuses[id]` is consumed one entry per poll. */
async function ddmServer(script: Record<string, Array<string | 404 | 503>>): Promise<{ url: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    const id = (req.url ?? "").split("?")[0]!.split("/").pop()!;
    const steps = script[id] ?? [404];
    const step = steps.length > 1 ? steps.shift()! : steps[0]!;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (step === 404) return send(404, { error_code: "DBS.300400", error_msg: "job not found" });
    if (step === 503) return send(503, { error_code: "APIGW.0201", error_msg: "busy" });
    send(200, { job: { id, name: "migrateLogicDb", status: step, created_time: "", end_time: "", process: "" } });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => hits };
}

describe(waitForJobs.name, () => {
  const projectId = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";
  const fast = { minDelayMs: 1000, maxDelayMs: 1000, random: () => 0 };
  let s: Awaited<ReturnType<typeof ddmServer>>;
  afterEach(async () => {
    s.server.closeAllConnections();
    await new Promise((r) => s.server.close(r));
  });
  const clientFor = () => createClient({ projectId, token: "t", endpoint: s.url, retry: { maxRetries: 0 } });

  it("done when every job reaches the target; a job done is not read again", async () => {
    s = await ddmServer({ a: ["Running", "Completed"], b: ["Completed"] });
    const client = clientFor();
    const outcome = await waitForJobs(client, { service: "ddm", ids: ["a", "b"] }, SUCCEEDED, fast);
    expect(outcome.jobs.map((j) => `${j.id} ${j.status}`).sort()).toEqual(["a Completed", "b Completed"]);
    expect(outcome.polls).toBe(2);
    // Poll 1 reads a and b; poll 2 reads only a.
    expect(s.hits()).toBe(3);
    await client.close();
  });

  it("a failed job ends the wait at once with JobsFailedError naming it", async () => {
    s = await ddmServer({ a: ["Failed"] });
    const client = clientFor();
    const err = await waitForJobs(client, { service: "ddm", ids: ["a"] }, SUCCEEDED, fast).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobsFailedError);
    expect(err).toMatchObject({ code: "OTCJOBS_JOBS_FAILED", failed: [{ id: "a", status: "Failed" }] });
    await client.close();
  });

  it("an id never seen fails after the grace with JobNotFoundError, not at the timeout", async () => {
    s = await ddmServer({});
    const client = clientFor();
    const started = Date.now();
    const err = await waitForJobs(client, { service: "ddm", ids: ["nope"] }, SUCCEEDED, { ...fast, graceMs: 1500, maxWaitMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobNotFoundError);
    expect(err).toMatchObject({ code: "OTCJOBS_JOB_NOT_FOUND", ids: ["nope"] });
    expect(Date.now() - started).toBeLessThan(30_000);
    await client.close();
  });

  it("a job seen, then gone, is unseen under the same grace (not still 'Running')", async () => {
    s = await ddmServer({ a: ["Running", 404] });
    const client = clientFor();
    const err = await waitForJobs(client, { service: "ddm", ids: ["a"] }, SUCCEEDED, { ...fast, graceMs: 1000, maxWaitMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobNotFoundError);
    await client.close();
  });

  it("a transient API error is reported through onPoll and the wait goes on", async () => {
    s = await ddmServer({ a: [503, "Completed"] });
    const client = clientFor();
    const errors: string[] = [];
    const outcome = await waitForJobs(client, { service: "ddm", ids: ["a"] }, SUCCEEDED, { ...fast, onPoll: (p) => p.error && errors.push(p.error.message) });
    expect(outcome.jobs[0]).toMatchObject({ id: "a", phase: "succeeded" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/HTTP 503/);
    await client.close();
  });

  it("times out with WaitTimeoutError carrying the pending jobs and the hints", async () => {
    s = await ddmServer({ a: ["ToBeSwitched"] });
    const client = clientFor();
    const err = await waitForJobs(client, { service: "ddm", ids: ["a"] }, SUCCEEDED, { ...fast, maxWaitMs: 1500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).pending.map((j) => j.id)).toEqual(["a"]);
    expect((err as WaitTimeoutError).hints[0]).toMatch(/operator/);
    await client.close();
  });

  it("a poll interval under 1 s is refused, naming the option", async () => {
    s = await ddmServer({});
    const client = clientFor();
    await expect(waitForJobs(client, { service: "ddm", ids: ["a"] }, SUCCEEDED, { maxDelayMs: 10 })).rejects.toThrow(InvalidArgumentError);
    await expect(waitForJobs(client, { service: "ddm", ids: ["a"] }, SUCCEEDED, { maxDelayMs: 10 })).rejects.toThrow(/maxDelayMs: must be from 1s/);
    expect(s.hits()).toBe(0);
    await client.close();
  });

  it("a read that fails aborts the reads beside it: nothing is left running to hold the client", async () => {
    // "a" fails at once; "b" trickles its body and would run until its attempt timeout.
    const server = createServer((req, res) => {
      if ((req.url ?? "").endsWith("/a")) {
        res.writeHead(400, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error_code: "DBS.280001", error_msg: "bad" }));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"job": {"id": "b", "name": "');
      const t = setInterval(() => res.write("x"), 50);
      res.on("close", () => clearInterval(t));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    s = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => 0 };
    const client = createClient({ projectId, token: "t", endpoint: s.url, attemptTimeoutMs: 60_000, retry: { maxRetries: 0 } });
    const started = Date.now();
    const err = await waitForJobs(client, { service: "ddm", ids: ["a", "b"] }, SUCCEEDED, fast).catch((e: unknown) => e);
    await client.close();
    expect(err).toMatchObject({ code: "OTCJOBS_API", status: 400 });
    // The trickling read would have kept close() waiting for its 60 s attempt.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("leaves no listener on the caller's signal, whatever the outcome", async () => {
    s = await ddmServer({ a: ["Running", "Completed"], gone: [404] });
    const client = clientFor();
    const controller = new AbortController();
    await waitForJobs(client, { service: "ddm", ids: ["a"] }, SUCCEEDED, { ...fast, signal: controller.signal });
    await waitForJobs(client, { service: "ddm", ids: ["gone"] }, SUCCEEDED, { ...fast, graceMs: 0, signal: controller.signal }).catch(() => undefined);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    await client.close();
  });

  it("a gateway 404 (a wrong endpoint) is an error at once, not a job to wait for", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error_code: "APIGW.0101", error_msg: "The API does not exist or has not been published" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    s = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => 0 };
    const client = clientFor();
    const err = await waitForJobs(client, { service: "ddm", ids: ["a"] }, SUCCEEDED, { ...fast, graceMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "OTCJOBS_API", status: 404, apiCode: "APIGW.0101" });
    await client.close();
  });
});
