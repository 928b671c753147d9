/**
 * "Strict in" (DESIGN.md 4): any invalid argument, alone or beside valid ones, is refused with an
 * InvalidArgumentError naming it, before a single request is authorized or sent.
 */
import fc from "fast-check";
import {
  createClient,
  type Client,
  getDdmJob,
  getDdsJob,
  InvalidArgumentError,
  KNOWN_STATUSES,
  listDdmJobs,
  listDdsJobs,
  listDrsJobs,
} from "../../provider";
import { json, scriptedServer } from "../helpers/scripted-server";
import { spyAuth } from "../helpers/spy-auth";
import { runs, useSeed } from "./seed";

useSeed();

const projectId = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";
const DAY = 86_400_000;
type Args = Record<string, unknown>;
type Service = "ddm" | "dds" | "drs";

let server: Awaited<ReturnType<typeof scriptedServer>>;
let client: Client;
const spy = spyAuth();
beforeAll(async () => {
  server = await scriptedServer((_req, res) => json(res, 200, { jobs: [], total: 0, total_record: 0, total_count: 0 }));
  client = createClient({ projectId, auth: spy, endpoint: server.url, retry: { maxRetries: 0 } });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const LIST: Record<Service, (args: Args) => Promise<unknown>> = {
  ddm: (args) => listDdmJobs(client, args as never),
  dds: (args) => listDdsJobs(client, args as never),
  drs: (args) => listDrsJobs(client, args as never),
};

// ---- valid arguments, to sit beside the invalid one ---------------------------------------------

const pick = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const validCommon = (service: Service, maxPage: number) => ({
  status: pick(fc.constantFrom(...KNOWN_STATUSES[service])),
  name: pick(fc.string({ minLength: 1, maxLength: 10 })),
  id: pick(fc.array(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 })),
  pageSize: pick(fc.integer({ min: 1, max: maxPage })),
  maxItems: pick(fc.integer({ min: 1, max: 1_000_000 })),
  concurrency: pick(fc.integer({ min: 1, max: 64 })),
});
const VALID: Record<Service, fc.Arbitrary<Args>> = {
  ddm: fc.record({ ...validCommon("ddm", 128), startTime: pick(fc.constantFrom("7d", "29d", "90m")), instanceId: pick(fc.constant("i1")) }, { requiredKeys: [] }),
  dds: fc.record({ ...validCommon("dds", 100), startTime: pick(fc.constantFrom("7d", "29d", "12h")), instanceId: pick(fc.constant("i1")) }, { requiredKeys: [] }),
  drs: fc.record(
    {
      ...validCommon("drs", 100),
      dbUseType: fc.constantFrom("migration", "sync", "cloudDataGuard"),
      engineType: pick(fc.constantFrom("mysql", "mongodb", "postgresql")),
      netType: pick(fc.constantFrom("vpn", "vpc", "eip")),
      tags: pick(fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_-]{1,36}$/), fc.stringMatching(/^[A-Za-z0-9_-]{0,43}$/), { maxKeys: 3 })),
    },
    { requiredKeys: ["dbUseType"] },
  ),
};

// ---- one invalid argument -----------------------------------------------------------------------

interface Bad {
  /** The argument the error must name. */
  argument: string;
  patch: Args;
}
const bad = (argument: string, arb: fc.Arbitrary<unknown>): fc.Arbitrary<Bad> => arb.map((v) => ({ argument, patch: { [argument]: v } }));

const notAWholeNumberIn = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ max: min - 1 }),
    fc.integer({ min: max + 1 }),
    fc.double({ min, max, noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, "10", null, true),
  );
const notAStatus = (service: Service) =>
  fc.oneof(
    fc.string({ maxLength: 15 }).filter((s) => !KNOWN_STATUSES[service].includes(s)),
    fc.constant([] as string[]),
    fc.array(fc.string().filter((s) => !KNOWN_STATUSES[service].includes(s)), { minLength: 1, maxLength: 3 }),
  );
const notATime = fc.oneof(
  fc.string({ maxLength: 12 }).filter((s) => !/^\s*\d/.test(s)),
  fc.constantFrom("yesterday", "7 days", "2026-13-45T99:00:00Z", "-5d", ""),
  fc.integer({ min: 0, max: 1e11 - 1 }), // epoch seconds, not ms
  fc.constantFrom(-1, 1.5e12 + 0.5, Number.NaN, new Date(Number.NaN), true, {}),
);

function badCommon(service: Service, maxPage: number): Array<fc.Arbitrary<Bad>> {
  return [
    bad("pageSize", notAWholeNumberIn(1, maxPage)),
    bad("concurrency", notAWholeNumberIn(1, 64)),
    bad("maxItems", notAWholeNumberIn(1, 1_000_000)),
    bad("status", notAStatus(service)),
    bad("name", fc.constantFrom("", [], [""], 7)),
    bad("id", fc.constantFrom("", [], ["a", ""], null)),
    bad("signal", fc.constantFrom("abort", {}, 1)),
    // An argument the function does not have (a typo of a real one, or anything else).
    fc
      .oneof(fc.constantFrom("pagesize", "startime", "dbUsetype", "limit", "offset"), fc.stringMatching(/^[a-z]{3,10}$/))
      .filter((k) => !["status", "name", "id", "pageSize", "maxItems", "concurrency", "signal", "startTime", "endTime", "instanceId"].includes(k))
      .map((k) => ({ argument: k, patch: { [k]: 1 } })),
  ];
}

const BAD: Record<Service, fc.Arbitrary<Bad>> = {
  ddm: fc.oneof(
    ...badCommon("ddm", 128),
    bad("startTime", notATime),
    bad("endTime", notATime),
    bad("instanceId", fc.constantFrom("", 5)),
    // Further back than DDM keeps jobs.
    bad("startTime", fc.integer({ min: 31, max: 400 }).map((d) => `${d}d`)),
    // An end in the future, or an end before the start: both name their argument.
    bad("endTime", fc.integer({ min: 2, max: 1_000 }).map((m) => new Date(Date.now() + m * 60_000))),
    fc.integer({ min: 1, max: 20 }).map((d): Bad => ({ argument: "startTime", patch: { startTime: `${d}d`, endTime: `${d + 1}d` } })),
  ),
  dds: fc.oneof(
    ...badCommon("dds", 100),
    bad("startTime", notATime),
    bad("endTime", notATime),
    // A window spanning more than 30 days.
    fc.integer({ min: 31, max: 200 }).map((d): Bad => ({ argument: "startTime", patch: { startTime: new Date(Date.now() - d * DAY) } })),
  ),
  drs: fc.oneof(
    ...badCommon("drs", 100),
    bad("dbUseType", fc.oneof(fc.constantFrom("", "Migration", "sync ", 3), fc.string({ maxLength: 8 }).filter((s) => !["migration", "sync", "cloudDataGuard"].includes(s)))),
    bad("engineType", fc.constantFrom("MySQL", "oracle", "")),
    bad("netType", fc.constantFrom("VPC", "internet", "")),
    bad("instanceIds", fc.constantFrom([], [""], "i1")),
    fc.oneof(fc.string({ minLength: 37, maxLength: 40 }), fc.constantFrom("", "a b", "ключ", "k:v")).map((k): Bad => ({ argument: "tags", patch: { tags: { [k]: "v" } } })),
    fc.constantFrom("x".repeat(44), "a b", "v/1").map((v): Bad => ({ argument: "tags", patch: { tags: { env: v } } })),
  ),
};

/** Runs `call`; it must fail with an InvalidArgumentError naming `argument`, having sent nothing. */
async function expectRefusedBeforeSending(call: () => Promise<unknown>, argument: string): Promise<void> {
  const calls = spy.calls;
  const requests = server.requests.length;
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect((error as InvalidArgumentError).argument.split(/[.[]/)[0]).toBe(argument);
  expect(spy.calls).toBe(calls);
  expect(server.requests.length).toBe(requests);
}

describe.each(["ddm", "dds", "drs"] as const)("list%s arguments (property)", (service) => {
  it("an invalid argument among valid ones is refused before any request", async () => {
    await fc.assert(
      fc.asyncProperty(VALID[service], BAD[service], async (valid, { argument, patch }) => {
        const args: Args = { ...valid, ...patch };
        if (patch[argument] === undefined) delete args[argument];
        await expectRefusedBeforeSending(() => LIST[service](args), argument);
      }),
      { numRuns: runs(300) },
    );
  });

  it("valid arguments do send (the spy sees them)", async () => {
    await fc.assert(
      fc.asyncProperty(VALID[service], async (valid) => {
        const before = spy.calls;
        await LIST[service](valid);
        expect(spy.calls).toBeGreaterThan(before);
      }),
      { numRuns: runs(30) },
    );
  });
});

describe("single-job lookups (property)", () => {
  const badId = fc.oneof(
    fc.constantFrom("", "a/b", "../etc", "id?x=1", "x".repeat(65), "j 1", "%2F", undefined, null, 42),
    fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^[A-Za-z0-9-]{1,64}$/.test(s)),
  );

  it.each([
    ["getDdmJob", getDdmJob],
    ["getDdsJob", getDdsJob],
  ] as const)("%s refuses any malformed job id before any request", async (_name, get) => {
    await fc.assert(
      fc.asyncProperty(badId, async (id) => {
        await expectRefusedBeforeSending(() => get(client, id as string), "jobId");
      }),
      { numRuns: runs(200) },
    );
  });
});
