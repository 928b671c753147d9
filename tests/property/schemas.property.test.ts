/**
 * "Tolerant out" over the wire, on reference-shaped variants: the documented example jobs of each
 * service (tests/fixtures), with fields removed, nulled, sent as another type (numbers as text,
 * `"false"` for a boolean, an object for a string, `job_action` as an object or a string), times with
 * other offsets, as epoch numbers or impossible, children without ids, unknown statuses, undocumented
 * fields, totals as text. For every variant: the listing does not abort, every job comes back exactly
 * once and in order with its status as sent, and the client's fast reader gives exactly the output of
 * the reference reading (tests/property/reference-reader.ts), problems included.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ServerResponse } from "node:http";
import fc from "fast-check";
import { createClient, type Client, DRS_PHASES, KNOWN_STATUSES, listDdmJobs, listDdsJobs, listDrsJobs } from "../../provider";
import { json, scriptedServer, type Recorded } from "../helpers/scripted-server";
import { comparable, referenceDdm, referenceDds, referenceDrs, type RefJob } from "./reference-reader";
import { runs, useSeed } from "./seed";

useSeed();

const projectId = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";
type Service = "ddm" | "dds" | "drs";
type Raw = Record<string, unknown>;

const fixture = (name: string): Raw => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", name), "utf8")) as Raw;
const jobsIn = (name: string) => fixture(name).jobs as Raw[];

/** The reference's own example jobs, the seeds every variant starts from. */
const BASES: Record<Service, Raw[]> = {
  ddm: [...jobsIn("otc/ddm-list.response.json"), ...jobsIn("sdk-shaped/ddm-list.offsets.response.json")],
  dds: jobsIn("sdk-shaped/dds-v3.1-list.response.json"),
  drs: [...jobsIn("otc/drs-list.response.json"), ...jobsIn("sdk-shaped/drs-list.cloudDataGuard.response.json")],
};
const TIME_FIELDS: Record<Service, string[]> = { ddm: ["created_time", "end_time"], dds: ["created_at", "ended_at"], drs: ["create_time"] };
const TOTAL_KEY: Record<Service, string> = { ddm: "total", dds: "total_count", drs: "total_record" };

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype);

/** Times as the clouds write them, and as they should not. */
const timeValue = fc.oneof(
  fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2035-12-31T23:59:59Z"), noInvalidDate: true }).chain((d) =>
    fc.constantFrom("+0000", "+0100", "+0800", "-0530", "Z", "", " drs").map((zone) => {
      const iso = d.toISOString().slice(0, 19);
      return zone === " drs" ? iso.replace("T", " ") : `${iso}${zone}`;
    }),
  ),
  fc.constantFrom("", null, "2025-02-30T10:00:00+0000", "2024-02-29 23:59:59", "2023-02-29 12:00:00", "2025-05-20T24:00:00+0000", "soon", "1599188556112"),
  fc.integer({ min: 0, max: 2_000_000_000_000 }),
  fc.constant({ at: "2025-05-20" }),
);

/** What may happen to one documented field. */
function fieldVariant(service: Service, key: string, value: unknown): fc.Arbitrary<unknown> {
  if (TIME_FIELDS[service].includes(key)) return fc.oneof({ weight: 2, arbitrary: fc.constant(value) }, { weight: 3, arbitrary: timeValue });
  if (key === "status") {
    const known = service === "drs" ? Object.keys(DRS_PHASES.migration) : [...KNOWN_STATUSES[service]];
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...known) },
      { weight: 1, arbitrary: fc.string({ maxLength: 16 }).filter((s) => !PROTO_KEYS.includes(s)) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, null, "", 3) },
    );
  }
  if (key === "billing_tag" || key === "node_newFramework") return fc.constantFrom(value, true, false, "true", "false", null, undefined, "yes");
  if (key === "db_use_type") return fc.constantFrom(value, "migration", "sync", "cloudDataGuard", "", null, undefined);
  if (key === "job_action") {
    return fc.oneof(
      fc.constant(value),
      fc.record({ available_actions: fc.array(fc.constantFrom("PAUSE", "START", "RETRY", 7, null), { maxLength: 3 }), current_action: fc.constantFrom("SWITCH_OVER", "", null) }, { requiredKeys: [] }),
      fc.constantFrom("PAUSE", null, undefined, ["PAUSE"]),
    );
  }
  if (key === "operations") return fc.constantFrom(value, null, undefined, [], ["toBeRetried", 3], "toBeSwitched", { op: 1 });
  if (key === "children") return fc.constant(value);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(value) },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, "", 42, true, { nested: "object" }) },
  );
}

const extraFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !k.includes("_") && k !== "__proto__" && k !== "id" && k !== "status" && k !== "name" && k !== "children"),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);

/** One job: a documented example with each field kept, changed or dropped, plus undocumented fields. */
function variant(service: Service, base: Raw, depth = 0): fc.Arbitrary<Raw> {
  const keys = [...new Set([...Object.keys(base), "status", "name", ...(service === "drs" ? ["job_action", "billing_tag", "error_msg"] : [])])];
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const k of keys) if (k !== "id" && k !== "children") fields[k] = fieldVariant(service, k, base[k]);
  const children =
    service === "drs" && depth === 0
      ? fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 3, arbitrary: fc.array(fc.constantFrom(...BASES.drs).chain((b) => variant("drs", b, 1)), { maxLength: 2 }) },
          { weight: 1, arbitrary: fc.constantFrom(null, [], ["not a child"], "none") },
        )
      : fc.constant(undefined);
  return fc
    .record({
      id: fc.oneof({ weight: 12, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constantFrom(undefined, null, "", 12345) }),
      fields: fc.record(fields),
      extra: extraFields,
      children,
    })
    .map(({ id, fields: f, extra, children: c }) => {
      const raw: Raw = { ...extra };
      if (id !== undefined) raw.id = id;
      for (const [k, v] of Object.entries(f)) if (v !== undefined) raw[k] = v;
      if (c !== undefined) raw.children = c;
      return raw;
    });
}

/** Ids are unique among jobs that have one; each id-less job is its own. */
const keyOf = (raw: Raw): unknown => (typeof raw.id === "string" && raw.id !== "") || typeof raw.id === "number" ? String(raw.id) : raw;

// ---- a loopback server that pages whatever the current case holds ----------------------------

interface Case {
  service: Service;
  jobs: Raw[];
  totalAsText: boolean;
}
let current: Case = { service: "ddm", jobs: [], totalAsText: false };

function answer(req: Recorded, res: ServerResponse): void {
  let offset: number;
  let limit: number;
  if (req.method === "POST") {
    const body = JSON.parse(req.body) as { cur_page: number; per_page: number };
    [offset, limit] = [(body.cur_page - 1) * body.per_page, body.per_page];
  } else {
    const q = new URL(req.url, "http://x").searchParams;
    [offset, limit] = [Number(q.get("offset")), Number(q.get("limit"))];
  }
  const { service, jobs, totalAsText } = current;
  const total = totalAsText ? String(jobs.length) : jobs.length;
  // DDS leaves its documented total out, as the reference's own example does.
  json(res, 200, { jobs: jobs.slice(offset, offset + limit), ...(service === "dds" ? {} : { [TOTAL_KEY[service]]: total }) });
}

let server: Awaited<ReturnType<typeof scriptedServer>>;
let client: Client;
beforeAll(async () => {
  server = await scriptedServer(answer);
  client = createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 0 } });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const LIST = {
  ddm: (pageSize: number) => listDdmJobs(client, { startTime: "1d", pageSize, concurrency: 3 }),
  dds: (pageSize: number) => listDdsJobs(client, { startTime: "1d", pageSize, concurrency: 3 }),
  drs: (pageSize: number) => listDrsJobs(client, { dbUseType: "sync", pageSize, concurrency: 3 }),
} as const;

function reference(service: Service, raw: Raw): RefJob & { childProblems?: number } {
  return service === "ddm" ? referenceDdm(raw) : service === "dds" ? referenceDds(raw) : referenceDrs(raw, "sync");
}

describe("the verbatim fixtures", () => {
  it.each(["ddm", "dds", "drs"] as const)("%s: the fast reader's output is the reference reading's, with no problems", async (service) => {
    current = { service, jobs: BASES[service], totalAsText: false };
    const r = await LIST[service](100);
    expect(r.problems).toEqual([]);
    expect(r.jobs.map((j) => comparable(j))).toEqual(BASES[service].map((raw) => ({ job: reference(service, raw).job, problems: 0 })));
  });
});

describe.each(["ddm", "dds", "drs"] as const)("%s: reference-shaped variants (property)", (service) => {
  it("never abort a listing; every job comes back once with its status; output equals the reference reading", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...BASES[service]).chain((b) => variant(service, b)), { selector: keyOf, maxLength: 14 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 6 }),
        async (jobs, totalAsText, pageSize) => {
          current = { service, jobs, totalAsText };
          const r = await LIST[service](pageSize);
          // Exactly once, in order, with the status as sent.
          expect(r.jobs).toHaveLength(jobs.length);
          // What the client sees is the JSON on the wire (-0 arrives as 0, undefined items as null).
          const wire = JSON.parse(JSON.stringify(jobs)) as Raw[];
          const expected = wire.map((raw) => reference(service, raw));
          r.jobs.forEach((job, i) => {
            const got = comparable(job);
            expect(got.job).toEqual(expected[i]!.job);
            expect(got.problems).toBe(expected[i]!.problems);
            const sent = wire[i]!.status;
            expect(job.status).toBe(typeof sent === "string" ? sent : "");
          });
          // Every shortfall is on the result too (children's included), none invented.
          const want = expected.reduce((n, e) => n + e.problems + (e.childProblems ?? 0), 0);
          expect(r.problems).toHaveLength(want);
          expect(r.total).toBe(jobs.length);
          expect(r.summary.total).toBe(jobs.length);
        },
      ),
      { numRuns: runs(50) },
    );
  });
});

describe("statuses that are names of Object.prototype members", () => {
  // phaseOf once indexed a plain object, so "constructor" read as Object (a function) and the
  // summary's counts turned into NaN and strings.
  it("read as phase unknown and count normally", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROTO_KEYS), async (status) => {
        current = { service: "ddm", jobs: [{ id: "j1", status }], totalAsText: false };
        const r = await listDdmJobs(client, { startTime: "1d" });
        expect(r.jobs[0]!.phase).toBe("unknown");
        expect(r.summary.byPhase.unknown).toBe(1);
        expect(r.summary.byStatus[status]).toBe(1);
      }),
      { numRuns: runs(20) },
    );
  });
});
