import { TooManyRequestsError } from "../../provider/errors";
import { collect, eachItem, paginate, type Page, type PageRequest, type PageStats, type PaginateOptions } from "../../provider/paginate";

/** Names the listing in warnings and errors. */
const NAMED = { service: "ddm", operation: "ListJobs" } as const;

interface Item {
  id: string;
}
/** A page reader with the attempt reporter and the retry gate paginate passes. */
type FetchPage = PaginateOptions<Item>["fetchPage"];
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
    const got = await collect(paginate({ ...NAMED, pageSize, concurrency, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got.map((i) => i.id)).toEqual(list.map((i) => i.id));
    expect(src.seen.length).toBe(Math.max(1, Math.ceil(n / pageSize)));
  });

  it("keeps the API's order when pages complete out of order", async () => {
    const list = items(50);
    const src = source(list, { delay: (p) => (5 - p.index) * 5 });
    const got = await collect(paginate({ ...NAMED, pageSize: 10, concurrency: 5, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got.map((i) => i.id)).toEqual(list.map((i) => i.id));
  });

  it("without a total, reads ahead and stops at the first short page", async () => {
    const list = items(35);
    const src = source(list, { reportTotal: false });
    const got = await collect(paginate({ ...NAMED, pageSize: 10, concurrency: 3, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got).toHaveLength(35);
    expect(Math.max(...src.seen)).toBeLessThanOrEqual(3 + 2);
  });

  it("stops at maxItems without reading further pages", async () => {
    const src = source(items(1000));
    const got = await collect(paginate({ ...NAMED, pageSize: 10, concurrency: 2, maxItems: 25, fetchPage: src.fetchPage, idOf: (i) => i.id }));
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
    const got = (await collect(paginate({ ...NAMED, pageSize: 10, concurrency: 4, fetchPage, idOf: (i) => i.id }))).map((i) => i.id);
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
    const got = (await collect(paginate({ ...NAMED, pageSize: 10, concurrency: 1, fetchPage, idOf: (i) => i.id }))).map((i) => i.id);
    expect(new Set(got).size).toBe(got.length);
    for (const id of items(60).slice(5).map((i) => i.id)) expect(got).toContain(id);
  });

  it("propagates a page's failure", async () => {
    const fetchPage = async (p: PageRequest): Promise<Page<Item>> => {
      if (p.index === 2) throw new Error("page 2 broke");
      return { items: items(10, `p${p.index}-`), total: 50 };
    };
    await expect(collect(paginate({ ...NAMED, pageSize: 10, concurrency: 4, fetchPage, idOf: (i) => `${i.id}` }))).rejects.toThrow("page 2 broke");
  });
});

describe("paginate stops on a misbehaving server", () => {
  const ids = (got: Item[]): string[] => got.map((i) => i.id);

  it("a total that lies: stops at the first short or empty page, with a warning", async () => {
    const list = items(300);
    const src = source(list);
    const warnings: string[] = [];
    const fetchPage = async (p: PageRequest): Promise<Page<Item>> => ({ ...(await src.fetchPage(p)), total: 1e9 });
    const got = await collect(paginate({ ...NAMED, pageSize: 100, concurrency: 4, fetchPage, idOf: (i) => i.id, onWarning: (w) => warnings.push(w) }));
    expect(ids(got)).toEqual(ids(list));
    // Pages 0-2 hold the jobs, page 3 is empty; the read-ahead adds at most 2 x concurrency.
    expect(src.seen.length).toBeLessThanOrEqual(4 + 2 * 4);
    expect(warnings).toEqual([expect.stringMatching(/^DDM ListJobs: the server reported 1000000000 jobs but page 4 held 0 of 100/)]);
  });

  it.each([[true], [false]])("a server that ignores offset (total reported: %s): stops at the first page with nothing new", async (reportTotal) => {
    const list = items(100);
    const requested: number[] = [];
    const warnings: string[] = [];
    const fetchPage = async (p: PageRequest): Promise<Page<Item>> => {
      requested.push(p.index);
      await new Promise((r) => setTimeout(r, 1));
      return { items: list.slice(0, p.size), total: reportTotal ? 1e6 : undefined };
    };
    const got = await collect(paginate({ ...NAMED, service: "dds", pageSize: 100, concurrency: 3, fetchPage, idOf: (i) => i.id, onWarning: (w) => warnings.push(w) }));
    expect(ids(got)).toEqual(ids(list));
    expect(requested.length).toBeLessThanOrEqual(1 + 2 * 3);
    expect(warnings).toEqual([expect.stringMatching(/^DDS ListJobs: page 2 \(offset 100\) brought no job not already seen: the server seems to ignore offset/)]);
  });

  it("a listing that never converges (ignored offset and a total that keeps moving) fails with TooManyRequestsError", async () => {
    let n = 0;
    const fetchPage = async (p: PageRequest): Promise<Page<Item>> => ({ items: items(p.size), total: 1000 + n++ });
    const stats = { requests: 0, reconcileRequests: 0 };
    const error = await collect(paginate({ ...NAMED, pageSize: 10, concurrency: 2, fetchPage, idOf: (i) => i.id, onWarning: () => undefined }, stats)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error).toMatchObject({ code: "OTCJOBS_TOO_MANY_REQUESTS", service: "ddm", operation: "ListJobs" });
    // 10 distinct jobs justify 3 x 1 pages + 2 x 2 read-ahead + 4.
    expect(stats.requests).toBe(11);
  });

  it("once a page has failed, no new page starts, whatever order the failures come in", async () => {
    const requested: number[] = [];
    const releases = new Map<number, () => void>();
    const fetchPage = (p: PageRequest, signal: AbortSignal): Promise<Page<Item>> => {
      requested.push(p.index);
      if (p.index === 0) return Promise.resolve({ items: items(10, "p0-"), total: 200 });
      return new Promise((resolve, reject) => {
        releases.set(p.index, () => reject(new Error(`page ${p.index} broke`)));
        signal.addEventListener("abort", () => reject(new Error("aborted")));
      });
    };
    const listing = collect(paginate({ ...NAMED, pageSize: 10, concurrency: 4, fetchPage, idOf: (i) => i.id }));
    while (requested.length < 5) await new Promise((r) => setImmediate(r));
    // A page past the one being awaited fails first: its slot must not start page 5.
    releases.get(3)!();
    await expect(listing).rejects.toThrow("page 3 broke");
    expect(requested).toEqual([0, 1, 2, 3, 4]);
  });

  it("a Retry-After pauses new pages until it has passed, and the adaptive window halves", async () => {
    const started: Array<[number, number]> = [];
    const t0 = Date.now();
    let throttled = false;
    const stats: PageStats = { requests: 0, reconcileRequests: 0 };
    const fetchPage: FetchPage = async (p, _signal, report) => {
      started.push([p.index, Date.now() - t0]);
      if (p.index === 1 && !throttled) {
        throttled = true;
        report({ status: 429, apiCode: "APIGW.0308", retryInMs: 150 });
        await new Promise((r) => setTimeout(r, 150));
      }
      await new Promise((r) => setTimeout(r, 5));
      return { items: items(10, `p${p.index}-`), total: 200 };
    };
    const got = await collect(paginate({ ...NAMED, pageSize: 10, adaptive: { initial: 2, max: 8 }, fetchPage, idOf: (i) => i.id }, stats));
    expect(got).toHaveLength(200);
    expect(stats.requests).toBe(20);
    expect(stats.backoffs).toBe(1);
    // Pages 0-2 start at once; after the 429 on page 1, nothing new starts for 150 ms.
    const late = started.filter(([index]) => index > 2);
    expect(Math.min(...late.map(([, at]) => at))).toBeGreaterThanOrEqual(140);
  });
});

describe("the window once the total is known", () => {
  /** Pages of 10 from a server whose pages answer after a tick; counts pages in flight at once. */
  function counting(page: (index: number) => Item[], total: number) {
    let inFlight = 0;
    let most = 0;
    let requests = 0;
    const fetchPage = async (p: PageRequest): Promise<Page<Item>> => {
      requests++;
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return { items: page(p.index), total };
    };
    return { fetchPage, most: () => most, requests: () => requests };
  }
  const ADAPTIVE = { initial: 4, withTotal: 16, max: 16 };

  it("widens to what the total promises once the first window's pages read full and new", async () => {
    // 20 pages: slow start alone (2, 4, 8, ...) has about 10 in flight at most here.
    const src = counting((i) => (i < 20 ? items(10, `p${i}-`) : []), 200);
    const got = await collect(paginate({ ...NAMED, pageSize: 10, adaptive: { initial: 2, withTotal: 16, max: 64 }, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got).toHaveLength(200);
    expect(src.requests()).toBe(20);
    // Pages 1-2 proved the listing; the window then opened to 16 (the 17 pages left, capped).
    expect(src.most()).toBeGreaterThanOrEqual(14);
    expect(src.most()).toBeLessThanOrEqual(16);
  });

  it("stays narrow when a page of the first window repeats (an ignored offset) or the total lies", async () => {
    const ignoring = counting(() => items(10, "same-"), 10_000);
    const warnings: string[] = [];
    const a = await collect(paginate({ ...NAMED, pageSize: 10, adaptive: ADAPTIVE, fetchPage: ignoring.fetchPage, idOf: (i) => i.id, onWarning: (m) => warnings.push(m) }));
    expect(a).toHaveLength(10);
    expect(warnings).toHaveLength(1);
    // The first window and its slow-start growth, never the 16 the total would allow.
    expect(ignoring.most()).toBeLessThanOrEqual(8);
    const lying = counting((i) => (i < 3 ? items(10, `p${i}-`) : []), 1e9);
    const b = await collect(paginate({ ...NAMED, pageSize: 10, adaptive: ADAPTIVE, fetchPage: lying.fetchPage, idOf: (i) => i.id, onWarning: () => undefined }));
    expect(b).toHaveLength(30);
    expect(lying.most()).toBeLessThanOrEqual(8);
  });
});

describe("retries inside the window", () => {
  /**
   * A page fetcher that behaves like the transport: each attempt reports itself; a throttled
   * attempt (the first of every page here) waits its Retry-After, then the window's gate, then
   * tries again. Counts attempts in flight at once.
   */
  function throttledOnce(retryAfterMs: number) {
    let inFlight = 0;
    const peaks = { first: 0, retry: 0 };
    const retried: number[] = [];
    const attempt = async (retry: boolean): Promise<void> => {
      inFlight++;
      peaks[retry ? "retry" : "first"] = Math.max(peaks[retry ? "retry" : "first"], inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
    };
    const fetchPage: FetchPage = async (p, _signal, report, beforeRetry) => {
      await attempt(false);
      if (p.index > 0) {
        report({ status: 429, apiCode: "APIGW.0308", retryInMs: retryAfterMs });
        await new Promise((r) => setTimeout(r, retryAfterMs));
        await beforeRetry?.();
        retried.push(p.index);
        await attempt(true);
      }
      report({ status: 200 });
      return { items: items(10, `p${p.index}-`), total: 200 };
    };
    return { fetchPage, peaks, retried };
  }

  it("after a cut, retries wait for a slot in the halved window", async () => {
    const src = throttledOnce(20);
    const stats: PageStats = { requests: 0, reconcileRequests: 0 };
    const got = await collect(paginate({ ...NAMED, pageSize: 10, adaptive: { initial: 8, max: 8 }, fetchPage: src.fetchPage, idOf: (i) => i.id }, stats));
    expect(got).toHaveLength(200);
    expect(new Set(got.map((i) => i.id)).size).toBe(200);
    // The first 8 pages all met the 429: one cut, to 4; their retries then go 4 at a time, not 8.
    expect(src.peaks.first).toBe(8);
    expect(src.peaks.retry).toBeLessThanOrEqual(4);
    expect(stats.backoffs).toBeGreaterThanOrEqual(1);
    expect(src.retried.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
  });

  it("with a concurrency the caller chose, retries and new pages together never exceed it", async () => {
    const src = throttledOnce(5);
    const got = await collect(paginate({ ...NAMED, pageSize: 10, concurrency: 3, fetchPage: src.fetchPage, idOf: (i) => i.id }));
    expect(got).toHaveLength(200);
    expect(Math.max(src.peaks.first, src.peaks.retry)).toBeLessThanOrEqual(3);
  });

  it("a retry waiting for a slot is refused when the listing fails, and nothing hangs", async () => {
    let gateRefused = 0;
    const fetchPage: FetchPage = async (p, _signal, report, beforeRetry) => {
      if (p.index === 0) return { items: items(10, "p0-"), total: 100 };
      if (p.index === 1) {
        await new Promise((r) => setTimeout(r, 5));
        throw new Error("page 1 broke");
      }
      report({ status: 503, retryInMs: 0 });
      await new Promise((r) => setTimeout(r, 20));
      try {
        await beforeRetry?.();
      } catch (e) {
        gateRefused++;
        throw e;
      }
      return { items: items(10, `p${p.index}-`), total: 100 };
    };
    await expect(collect(paginate({ ...NAMED, pageSize: 10, concurrency: 4, fetchPage, idOf: (i) => i.id }))).rejects.toThrow("page 1 broke");
    await new Promise((r) => setTimeout(r, 30));
    expect(gateRefused).toBeGreaterThan(0);
  });
});

describe("collect", () => {
  async function* pagesOf(count: number, size: number): AsyncGenerator<Item[]> {
    for (let p = 0; p < count; p++) yield items(size, `p${p}-`);
  }

  it("a limit below one page or not whole: as many items as it allows, never items from the page's end", async () => {
    expect(await collect(pagesOf(2, 5), -2)).toEqual([]);
    expect((await collect(pagesOf(2, 2), 2.5)).map((i) => i.id)).toEqual(["p0-0", "p0-1", "p1-0"]);
  });

  it("joins many pages, in order", async () => {
    const got = await collect(pagesOf(10_000, 2));
    expect(got).toHaveLength(20_000);
    expect([got[0]!.id, got[8191]!.id, got[8192]!.id, got[19_999]!.id]).toEqual(["p0-0", "p4095-1", "p4096-0", "p9999-1"]);
  });

  it("stops at the limit inside a page, and a single page comes back as it is", async () => {
    expect((await collect(pagesOf(5, 10), 23)).map((i) => i.id).slice(-4)).toEqual(["p1-9", "p2-0", "p2-1", "p2-2"]);
    expect(await collect(pagesOf(5, 10), 23)).toHaveLength(23);
    expect(await collect(pagesOf(1, 3))).toHaveLength(3);
    expect(await collect(pagesOf(0, 3))).toEqual([]);
  });
});

describe("eachItem", () => {
  it("yields a listing's items one by one, in order", async () => {
    const list = items(95);
    const src = source(list, { delay: (p) => (10 - p.index) * 2 });
    const got: string[] = [];
    for await (const item of eachItem(paginate({ ...NAMED, pageSize: 10, concurrency: 4, fetchPage: src.fetchPage, idOf: (i) => i.id }))) got.push(item.id);
    expect(got).toEqual(list.map((i) => i.id));
  });

  it("breaking out early cancels in-flight pages", async () => {
    const signals: AbortSignal[] = [];
    const fetchPage = async (p: PageRequest, signal: AbortSignal): Promise<Page<Item>> => {
      signals.push(signal);
      await new Promise((r) => setTimeout(r, 2));
      return { items: items(10, `p${p.index}-`), total: 1000 };
    };
    let n = 0;
    for await (const _ of eachItem(paginate({ ...NAMED, pageSize: 10, concurrency: 4, fetchPage, idOf: (i) => i.id }))) if (++n === 15) break;
    expect(signals.length).toBeLessThan(1 + 2 * 4 + 2);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });
});

describe("paginate: the call's deadline", () => {
  it("names a deadline that ends the listing as a deadline, not as the caller's interrupt", async () => {
    const { DeadlineReached, linkedSignal } = await import("../../provider/http/call");
    const { DeadlineExceededError } = await import("../../provider/errors");
    const deadline = linkedSignal();
    // Every page waits on the signal and rejects with its bare reason (as a sleep or a hold does).
    const fetchPage = (_p: PageRequest, signal: AbortSignal): Promise<Page<Item>> =>
      new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
    const listing = collect(paginate({ ...NAMED, pageSize: 10, signal: deadline.signal, fetchPage, idOf: (i: Item) => i.id }));
    deadline.abort(new DeadlineReached(1234));
    const error = await listing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as InstanceType<typeof DeadlineExceededError>).message).toContain("deadline of 1234 ms exceeded");
  });
});
