import { collect, paginate, type Page, type PageRequest } from "../../provider/paginate";

interface Item {
  id: string;
}
const items = (n: number, prefix = "j"): Item[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}` }));

/** A listing backed by an array that a test may change between page reads. */
function source(list: Item[], opts: { reportTotal?: boolean; delay?: (p: PageRequest) => number } = {}) {
  const seen: number[] = [];
  const fetchPage = async (p: PageRequest): Promise<Page<Item>> => {
    seen.push(p.index);
    await new Promise((r) => setTimeout(r, opts.delay?.(p) ?? 0));
    return { items: list.slice(p.offset, p.offset + p.size), total: opts.reportTotal === false ? undefined : list.length };
  };
  return { fetchPage, seen };
}

describe("paginate", () => {
  it.each([
    [0, 10, 4],
    [1, 10, 4],
    [10, 10, 4],
    [11, 10, 4],
    [1000, 128, 8],
    [257, 100, 1],
  ])("returns %i items once each with page size %i and concurrency %i", async (n, pageSize, concurrency) => {
    const list = items(n);
    const src = source(list);
    const got = await collect(paginate({ pageSize, concurrency, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got.map((i) => i.id)).toEqual(list.map((i) => i.id));
    expect(src.seen.length).toBe(Math.max(1, Math.ceil(n / pageSize)));
  });

  it("keeps the API's order when pages complete out of order", async () => {
    const list = items(50);
    const src = source(list, { delay: (p) => (5 - p.index) * 5 });
    const got = await collect(paginate({ pageSize: 10, concurrency: 5, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got.map((i) => i.id)).toEqual(list.map((i) => i.id));
  });

  it("without a total, reads ahead and stops at the first short page", async () => {
    const list = items(35);
    const src = source(list, { reportTotal: false });
    const got = await collect(paginate({ pageSize: 10, concurrency: 3, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got).toHaveLength(35);
    expect(Math.max(...src.seen)).toBeLessThanOrEqual(3 + 2);
  });

  it("stops at maxItems without reading further pages", async () => {
    const src = source(items(1000));
    const got = await collect(paginate({ pageSize: 10, concurrency: 2, maxItems: 25, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got.map((i) => i.id)).toEqual(items(25).map((i) => i.id));
    expect(src.seen.sort()).toEqual([0, 1, 2]);
  });

  it("loses and repeats nothing when jobs appear at the head while pages are read", async () => {
    const list = items(95);
    let added = 0;
    const fetchPage = async (p: PageRequest): Promise<Page<Item>> => {
      // Later pages are read after new jobs arrived at the head; they shift everything down.
      if (p.index >= 3 && added < 7) {
        list.unshift(...items(7, "new"));
        added = 7;
      }
      await new Promise((r) => setTimeout(r, (10 - p.index) * 2));
      return { items: list.slice(p.offset, p.offset + p.size), total: list.length };
    };
    const original = items(95).map((i) => i.id);
    const got = (await collect(paginate({ pageSize: 10, concurrency: 4, fetchPage, idOf: (i) => i.id }))).map((i) => i.id);
    expect(new Set(got).size).toBe(got.length);
    for (const id of original) expect(got).toContain(id);
  });

  it("re-reads in order when jobs vanish while pages are read", async () => {
    const list = items(60);
    let removed = false;
    const fetchPage = async (p: PageRequest): Promise<Page<Item>> => {
      if (p.index === 2 && !removed) {
        list.splice(0, 5);
        removed = true;
      }
      return { items: list.slice(p.offset, p.offset + p.size), total: list.length };
    };
    const got = (await collect(paginate({ pageSize: 10, concurrency: 1, fetchPage, idOf: (i) => i.id }))).map((i) => i.id);
    expect(new Set(got).size).toBe(got.length);
    for (const id of items(60).slice(5).map((i) => i.id)) expect(got).toContain(id);
  });

  it("propagates a page's failure", async () => {
    const fetchPage = async (p: PageRequest): Promise<Page<Item>> => {
      if (p.index === 2) throw new Error("page 2 broke");
      return { items: items(10), total: 50 };
    };
    await expect(collect(paginate({ pageSize: 10, concurrency: 4, fetchPage, idOf: (i) => `${i.id}` }))).rejects.toThrow("page 2 broke");
  });
});
