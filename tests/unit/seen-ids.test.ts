import { collect, type Page, type PageRequest, paginate } from "../../provider/paginate";
import { SeenIds } from "../../provider/seen-ids";

/** A small seeded generator, so a failure names a sequence that can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Job {
  id: string;
  created: string;
}

/** `n` jobs newest first; `tiesEvery` > 1 gives runs of jobs created in the same second. */
function jobs(n: number, tiesEvery = 1): Job[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `job-${i}`,
    created: new Date(Date.UTC(2026, 10, 29) - Math.floor(i / tiesEvery) * 1000).toISOString(),
  }));
}

/** Feeds `sequence` to a SeenIds and to a Set, and returns both answers per item. */
function bothAnswers(sequence: Job[]): { seen: boolean[]; set: boolean[] } {
  const seenIds = new SeenIds();
  const set = new Set<string>();
  const seen: boolean[] = [];
  const expected: boolean[] = [];
  for (const job of sequence) {
    expect(seenIds.has(job.id, job.created)).toBe(set.has(job.id));
    seen.push(seenIds.add(job.id, job.created));
    expected.push(!set.has(job.id));
    set.add(job.id);
    expect(seenIds.size).toBe(set.size);
  }
  return { seen, set: expected };
}

describe("SeenIds answers exactly as a Set of every id would", () => {
  it.each([1, 3])("a listing newest first (ties of %i), read once and then partly again", (ties) => {
    const all = jobs(500, ties);
    const { seen, set } = bothAnswers([...all, ...all.slice(120, 260), ...all.slice(0, 7), ...all.slice(499)]);
    expect(seen).toEqual(set);
    expect(seen.filter(Boolean)).toHaveLength(500);
  });

  it("pages overlapping at their edges, as offset paging over a shifting list reads them", () => {
    const all = jobs(300, 2);
    const sequence: Job[] = [];
    // Each page starts a few items before where the previous one ended.
    for (let from = 0, shift = 0; from < all.length; from += 20, shift = (shift + 3) % 7) {
      sequence.push(...all.slice(Math.max(0, from - shift), from + 20));
    }
    const { seen, set } = bothAnswers(sequence);
    expect(seen).toEqual(set);
  });

  it.each([1, 2, 3, 4, 5])("random orders, repeats and ties (seed %i)", (seed) => {
    const random = prng(seed);
    const all = jobs(400, 1 + Math.floor(random() * 4));
    const sequence: Job[] = [];
    for (let i = 0; i < 900; i++) {
      // Mostly in order, sometimes a jump back or ahead, sometimes a repeat.
      const r = random();
      const at = r < 0.6 ? Math.min(all.length - 1, sequence.length) : Math.floor(random() * all.length);
      sequence.push(all[at]!);
    }
    const { seen, set } = bothAnswers(sequence);
    expect(seen).toEqual(set);
  });

  it("a server listing oldest first: every item is looked up, none is taken twice", () => {
    const all = jobs(200).reverse();
    const { seen, set } = bothAnswers([...all, ...all]);
    expect(seen).toEqual(set);
  });

  it("items without a key (a listing that has no order) fall back to the set alone", () => {
    const s = new SeenIds();
    expect([s.add("a", undefined), s.add("b", undefined), s.add("a", undefined)]).toEqual([true, true, false]);
    expect(s.has("b", undefined)).toBe(true);
    expect(s.size).toBe(2);
  });
});

describe("paginate with an order key", () => {
  it("loses and repeats nothing when jobs arrive at the head and leave at the tail (the total holds still)", async () => {
    const list = jobs(95, 2);
    const original = list.map((j) => j.id);
    let churned = false;
    const fetchPage = async (p: PageRequest): Promise<Page<Job>> => {
      if (p.index >= 3 && !churned) {
        // Seven newer jobs arrive while the seven oldest expire: the total stays 95.
        const newer = Array.from({ length: 7 }, (_, i) => ({ id: `new-${i}`, created: `2027-01-0${i + 1}T00:00:00.000Z` })).reverse();
        list.unshift(...newer);
        list.splice(list.length - 7, 7);
        churned = true;
      }
      await new Promise((r) => setTimeout(r, (10 - p.index) * 2));
      return { items: list.slice(p.offset, p.offset + p.size), total: list.length };
    };
    const got = (
      await collect(paginate({ service: "ddm", operation: "ListJobs", pageSize: 10, concurrency: 4, fetchPage, idOf: (j) => j.id, orderKeyOf: (j) => j.created }))
    ).map((j) => j.id);
    expect(new Set(got).size).toBe(got.length);
    // Every job that existed throughout is there (the seven oldest expired while we read).
    for (const id of original.slice(0, 88)) expect(got).toContain(id);
  });
});
