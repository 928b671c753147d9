/** The listing-wide text pool of the job readers: same output, each repeating text kept once. */
import { readDdmPage } from "../../provider/services/ddm";
import { readDdsPage } from "../../provider/services/dds";
import type { TextPool } from "../../provider/services/read";

const ddmJob = (n: number) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  name: n % 2 ? "migrateLogicDb" : "CreateInstance",
  status: n % 3 ? "Completed" : "Running",
  created_time: "2026-11-29T20:58:01+0800",
  end_time: n % 3 ? "2026-11-29T21:00:00+0800" : "",
  process: n % 3 ? "" : "40%",
  instance_id: `b71017691b4621ac15a9acf629fd62ca${n % 4}in09`,
  instance_name: `ddm-${n % 4}`,
  fail_reason: "",
  database_name: `db_${n}`,
  operations: [],
});

describe("text pool of a listing", () => {
  it("DDM: a pool changes nothing in what is read, and keeps each repeating text once", () => {
    const json = { jobs: Array.from({ length: 24 }, (_, i) => ddmJob(i)), total: 24 };
    const pool: TextPool = new Map();
    const pooled = readDdmPage(JSON.parse(JSON.stringify(json)), 0, pool);
    expect(pooled).toEqual(readDdmPage(JSON.parse(JSON.stringify(json)), 0));
    // Per field, the values seen (ids, times and database names are not pooled; "" needs no pool).
    const kept = (field: string) => [...(pool.get(field) ?? [])].sort();
    expect(kept("name")).toEqual(["CreateInstance", "migrateLogicDb"]);
    expect(kept("status")).toEqual(["Completed", "Running"]);
    expect(kept("process")).toEqual(["40%"]);
    expect(kept("instance_id")).toEqual([0, 1, 2, 3].map((k) => `b71017691b4621ac15a9acf629fd62ca${k}in09`));
    expect(kept("instance_name")).toEqual(["ddm-0", "ddm-1", "ddm-2", "ddm-3"]);
    expect([...pool.keys()].sort()).toEqual(["instance_id", "instance_name", "name", "process", "status"]);
    // A second page reads through the same pool without adding what it already has.
    readDdmPage(JSON.parse(JSON.stringify(json)), 1, pool);
    expect(kept("instance_id")).toHaveLength(4);
  });

  it("DDS: the same", () => {
    const jobs = Array.from({ length: 6 }, (_, i) => ({
      id: `job-${i}`, name: "CreateMongoDB", status: "Completed", instance_id: "i-1", instance_name: "dds-1", progress: "", fail_reason: "",
      created_at: "2026-11-29T20:58:01+0800", ended_at: "2026-11-29T21:58:01+0800",
    }));
    const pool: TextPool = new Map();
    expect(readDdsPage({ jobs }, 0, pool)).toEqual(readDdsPage({ jobs }, 0));
    expect([...pool.values()].flat().sort()).toEqual(["CreateMongoDB", "Completed", "dds-1", "i-1"].sort());
  });
});
