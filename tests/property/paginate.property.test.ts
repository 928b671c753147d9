/**
 * `paginate` against a fake listing, with fast-check choosing the sizes and a scheduler choosing the
 * order in which page reads complete (so every interleaving of parallel pages is fair game).
 */
import fc from "fast-check";
import { collect, type Page, type PageRequest, paginate, type PageStats } from "../../provider/paginate";
import { runs, useSeed } from "./seed";

/** Names the listing in warnings and errors. */
const NAMED = { service: "ddm", operation: "ListJobs", onWarning: () => undefined } as const;

useSeed();

interface Item {
  id: string;
}

const ids = (items: Item[]): string[] => items.map((i) => i.id);
const range = (n: number, prefix: string): Item[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}` }));

/**
 * A listing backed by a mutable array. Every read is a scheduled task; when the scheduler lets it
 * run, `beforeRead(k)` may change the array (k = 1 for the first read to run), then the page is
 * sliced from the array as it is at that instant, with the total of that instant.
 */
function listing(
  s: fc.Scheduler,
  list: Item[],
  opts: { reportTotal?: boolean; beforeRead?: (k: number, list: Item[]) => void } = {},
) {
  let reads = 0;
  const requested: number[] = [];
  const fetchPage = (p: PageRequest): Promise<Page<Item>> => {
    requested.push(p.index);
    return s.schedule(Promise.resolve(), `page ${p.index}`).then(() => {
      reads++;
      opts.beforeRead?.(reads, list);
      return { items: list.slice(p.offset, p.offset + p.size), total: opts.reportTotal === false ? undefined : list.length };
    });
  };
  return { fetchPage, requested, reads: () => reads };
}

const sizes = {
  n: fc.integer({ min: 0, max: 400 }),
  pageSize: fc.integer({ min: 1, max: 40 }),
  concurrency: fc.integer({ min: 1, max: 12 }),
};

describe("paginate (property)", () => {
  it("returns every item once, in order, for any total, page size and concurrency", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), sizes.n, sizes.pageSize, sizes.concurrency, fc.boolean(), async (s, n, pageSize, concurrency, reportTotal) => {
        const list = range(n, "j");
        const src = listing(s, list, { reportTotal });
        const stats: PageStats = { requests: 0, reconcileRequests: 0 };
        const got = await s.waitFor(collect(paginate({ ...NAMED, pageSize, concurrency, fetchPage: src.fetchPage, idOf: (i) => i.id }, stats)));
        expect(ids(got)).toEqual(ids(list));
        const pages = Math.max(1, Math.ceil(n / pageSize));
        if (reportTotal) {
          // With a total, exactly one request per page and none again.
          expect([...src.requested].sort((a, b) => a - b)).toEqual(Array.from({ length: pages }, (_, i) => i));
        } else {
          // Without one, a bounded read-ahead past the end (the page that comes back short or empty).
          expect(src.requested.length).toBeLessThanOrEqual(pages + concurrency);
        }
        expect(stats.reconcileRequests).toBe(0);
      }),
      { numRuns: runs(300) },
    );
  });

  it("stops at maxItems with the first maxItems items", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        sizes.n,
        sizes.pageSize,
        sizes.concurrency,
        fc.integer({ min: 1, max: 500 }),
        async (s, n, pageSize, concurrency, maxItems) => {
          const list = range(n, "j");
          const src = listing(s, list);
          const got = await s.waitFor(collect(paginate({ ...NAMED, pageSize, concurrency, maxItems, fetchPage: src.fetchPage, idOf: (i) => i.id })));
          expect(ids(got)).toEqual(ids(list.slice(0, maxItems)));
          // Nothing is requested past the page that holds the last wanted item.
          const lastWanted = Math.max(0, Math.min(Math.ceil(n / pageSize), Math.ceil(maxItems / pageSize)) - 1);
          expect(Math.max(...src.requested)).toBeLessThanOrEqual(lastWanted);
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it("drops repeated ids, wherever they occur, and stops at a page that brings none new", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 300 }),
        sizes.pageSize,
        sizes.concurrency,
        async (s, raw, pageSize, concurrency) => {
          const list = raw.map((k) => ({ id: `j${k}` }));
          const src = listing(s, list);
          const got = await s.waitFor(collect(paginate({ ...NAMED, pageSize, concurrency, fetchPage: src.fetchPage, idOf: (i) => i.id })));
          // In page order: a non-empty page (after the first) whose ids were all seen ends the
          // listing, as a server ignoring `offset` would send; every id before it comes once.
          const want = new Set<string>();
          for (let at = 0; at < list.length; at += pageSize) {
            const page = ids(list.slice(at, at + pageSize));
            if (at > 0 && page.every((id) => want.has(id))) break;
            for (const id of page) want.add(id);
          }
          expect(ids(got)).toEqual([...want]);
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it("loses and repeats nothing when items are inserted at the head while pages are read (DRS)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        sizes.n,
        sizes.pageSize,
        sizes.concurrency,
        // Before the k-th read runs, insert `count` new items at the head.
        fc.array(fc.record({ atRead: fc.integer({ min: 1, max: 40 }), count: fc.integer({ min: 1, max: 30 }) }), { maxLength: 8 }),
        async (s, n, pageSize, concurrency, inserts) => {
          const original = range(n, "old");
          let added = 0;
          const src = listing(s, [...original], {
            beforeRead: (k, list) => {
              for (const ins of inserts) {
                if (ins.atRead === k) {
                  list.unshift(...range(ins.count, `new${added}-`));
                  added++;
                }
              }
            },
          });
          const stats: PageStats = { requests: 0, reconcileRequests: 0 };
          const got = ids(await s.waitFor(collect(paginate({ ...NAMED, pageSize, concurrency, fetchPage: src.fetchPage, idOf: (i) => i.id }, stats))));
          expect(new Set(got).size).toBe(got.length);
          const missing = ids(original).filter((id) => !got.includes(id));
          expect(missing).toEqual([]);
          expect(got.every((id) => id.startsWith("old") || id.startsWith("new"))).toBe(true);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("loses nothing that existed throughout when items are deleted while the first pass runs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 300 }),
        sizes.pageSize,
        sizes.concurrency,
        fc.array(fc.record({ atRead: fc.integer({ min: 2, max: 40 }), position: fc.nat(), count: fc.integer({ min: 1, max: 5 }) }), {
          maxLength: 6,
        }),
        async (s, n, pageSize, concurrency, deletes) => {
          const original = range(n, "old");
          const firstPass = Math.max(1, Math.ceil(n / pageSize));
          const deleted = new Set<string>();
          const src = listing(s, [...original], {
            beforeRead: (k, list) => {
              // Deletions happen while the first pass runs; the listing holds still afterwards.
              if (k > firstPass) return;
              for (const d of deletes) {
                if (d.atRead === k && list.length > 0) {
                  for (const gone of list.splice(d.position % list.length, d.count)) deleted.add(gone.id);
                }
              }
            },
          });
          const got = ids(await s.waitFor(collect(paginate({ ...NAMED, pageSize, concurrency, fetchPage: src.fetchPage, idOf: (i) => i.id }))));
          expect(new Set(got).size).toBe(got.length);
          const survivors = ids(original).filter((id) => !deleted.has(id));
          expect(survivors.filter((id) => !got.includes(id))).toEqual([]);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("never has more than `concurrency` reads in flight, and a slow page does not idle the other slots", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        async (pages, concurrency, heldAt) => {
          const pageSize = 5;
          const held = 1 + (heldAt % (pages - 1));
          let release!: () => void;
          const gate = new Promise<void>((resolve) => (release = resolve));
          let active = 0;
          let most = 0;
          const requested: number[] = [];
          const fetchPage = async (p: PageRequest): Promise<Page<Item>> => {
            requested.push(p.index);
            active++;
            most = Math.max(most, active);
            try {
              if (p.index === held) await gate;
              else await new Promise((resolve) => setImmediate(resolve));
              return { items: range(pageSize, `p${p.index}-`), total: pages * pageSize };
            } finally {
              active--;
            }
          };
          const listing = collect(paginate({ ...NAMED, pageSize, concurrency, fetchPage, idOf: (i) => i.id }));
          // Let every other read that may run, run.
          for (let i = 0; i < 4 * pages + 10; i++) await new Promise((resolve) => setImmediate(resolve));
          // While `held` hangs in its slot, the other slots read on, up to 2 x concurrency pages
          // ahead of it (or to the end). With a single slot there is no other to read with.
          const reach = concurrency === 1 ? held : Math.min(pages - 1, held + 2 * concurrency - 1);
          expect(Math.max(...requested)).toBe(reach);
          expect(new Set(requested).size).toBe(requested.length);
          release();
          const got = await listing;
          expect(got).toHaveLength(pages * pageSize);
          expect(most).toBeLessThanOrEqual(concurrency);
        },
      ),
      { numRuns: runs(100) },
    );
  });

  it("a failing page fails the listing and aborts the pages still in flight", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 2, max: 30 }),
        sizes.concurrency,
        fc.nat(),
        async (s, pages, concurrency, failAt) => {
          const pageSize = 10;
          const bad = 1 + (failAt % (pages - 1));
          const signals: AbortSignal[] = [];
          const fetchPage = (p: PageRequest, signal: AbortSignal): Promise<Page<Item>> => {
            signals.push(signal);
            return s.schedule(Promise.resolve(), `page ${p.index}`).then(() => {
              if (p.index === bad) throw new Error(`page ${bad} broke`);
              return { items: range(pageSize, `p${p.index}-`), total: pages * pageSize };
            });
          };
          await expect(s.waitFor(collect(paginate({ ...NAMED, pageSize, concurrency, fetchPage, idOf: (i) => i.id })))).rejects.toThrow(`page ${bad} broke`);
          // Whatever was still in flight was told to stop.
          expect(signals.every((signal) => signal.aborted)).toBe(true);
        },
      ),
      { numRuns: runs(100) },
    );
  });
});
