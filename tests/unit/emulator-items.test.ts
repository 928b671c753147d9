/**
 * The emulator's cached list items: a page built from cached JSON must be byte for byte the page
 * built from scratch, at every moment of every job's life (running, switching, ended), for every
 * shape option; a job that has not settled must never be served from the cache.
 */
import { ddmItem, ddmItemJson, generateDdmJobs } from "../../emulator/data/ddm";
import { ddsItem, ddsItemJson, generateDdsJobs } from "../../emulator/data/dds";
import { drsInfo, drsInfoJson, generateDrsJobs } from "../../emulator/data/drs";
import { resolveShapes, type ResolvedShapes } from "../../emulator/data/shapes";
import { itemJson } from "../../emulator/data/settled";
import { itemsReply } from "../../emulator/errors";
import { Rng } from "../../emulator/random";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;
const SHAPES: ResolvedShapes[] = [
  resolveShapes(),
  resolveShapes({ emptyText: "null", drsJobAction: false, drsErrorMsgWhenEmpty: "empty", timeOffsets: ["-0530"] }),
  resolveShapes({ emptyText: "omit" }),
];
// From before the newest jobs are created to long after every run has ended, twice over each
// moment so the second read is a cache hit whenever the job has settled.
const MOMENTS = [NOW - 2 * HOUR, NOW - 5 * 60_000, NOW, NOW + HOUR, NOW + 40 * 24 * HOUR];

function check<J extends object>(jobs: J[], build: (j: J, t: number, s: ResolvedShapes) => unknown, cached: (j: J, t: number, s: ResolvedShapes) => string): number {
  let compared = 0;
  for (const t of MOMENTS) {
    for (const shapes of SHAPES) {
      for (const job of jobs) {
        const fresh = JSON.stringify(build(job, t, shapes));
        expect(cached(job, t, shapes)).toBe(fresh);
        expect(cached(job, t, shapes)).toBe(fresh);
        compared++;
      }
    }
  }
  return compared;
}

test("DDM items from the cache equal items built afresh, at every moment and shape", () => {
  const jobs = generateDdmJobs(new Rng(7), 300, NOW);
  expect(check(jobs, ddmItem, ddmItemJson)).toBe(300 * MOMENTS.length * SHAPES.length);
});

test("DDS items from the cache equal items built afresh", () => {
  expect(check(generateDdsJobs(new Rng(8), 300, NOW), ddsItem, ddsItemJson)).toBeGreaterThan(0);
});

test("DRS items (children included) from the cache equal items built afresh", () => {
  const jobs = generateDrsJobs(new Rng(9), 300, NOW);
  expect(jobs.some((j) => j.children.length > 0)).toBe(true);
  expect(check(jobs, drsInfo, drsInfoJson)).toBeGreaterThan(0);
});

test("an item is built again, not cached, until its job has settled", () => {
  const job = { id: "a" };
  let builds = 0;
  const json = itemJson<typeof job>((_, t) => ({ t, n: ++builds }), () => 100);
  const shapes = resolveShapes();
  expect(json(job, 50, shapes)).toBe('{"t":50,"n":1}');
  expect(json(job, 60, shapes)).toBe('{"t":60,"n":2}');
  expect(json(job, 100, shapes)).toBe('{"t":100,"n":3}');
  expect(json(job, 200, shapes)).toBe('{"t":100,"n":3}');
  // Another shapes object is another item.
  expect(json(job, 200, resolveShapes({ emptyText: "null" }))).toBe('{"t":200,"n":4}');
});

test("itemsReply keeps the fields' order and splices the items in as an array", () => {
  const reply = itemsReply({ jobs: null, offset: 0, limit: 2, total: 5 }, "jobs", ['{"id":"a"}', '{"id":"b"}']);
  expect(reply.status).toBe(200);
  expect(reply.json).toBe('{"jobs":[{"id":"a"},{"id":"b"}],"offset":0,"limit":2,"total":5}');
  expect(JSON.parse(itemsReply({ total_record: 0, jobs: null }, "jobs", []).json!)).toEqual({ total_record: 0, jobs: [] });
});
