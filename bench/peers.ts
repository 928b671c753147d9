/**
 * What a user might write instead of this client: plain `fetch` loops over the DDM list API. They
 * parse each page and keep its jobs, nothing more (no validation, no normalization, no retries), so
 * they are the floor our client is measured against in the same rounds.
 */
import { request } from "undici";

export interface DdmTarget {
  /** Base URL of the DDM API (emulator listener or recorded-pages server). */
  endpoint: string;
  projectId: string;
  token: string;
  startMs: number;
  endMs: number;
  pageSize: number;
}

interface DdmPage {
  jobs: unknown[];
  total?: number;
}

/** The list request of one page, as every peer sends it. */
function pageRequest(t: DdmTarget, offset: number): [string, { headers: Record<string, string> }] {
  const url = `${t.endpoint}/v3/${t.projectId}/jobs?start_time=${t.startMs}&end_time=${t.endMs}&offset=${offset}&limit=${t.pageSize}`;
  return [url, { headers: { "X-Auth-Token": t.token, Accept: "application/json" } }];
}

async function page(t: DdmTarget, offset: number): Promise<DdmPage> {
  const res = await fetch(...pageRequest(t, offset));
  if (!res.ok) throw new Error(`HTTP ${res.status} at offset ${offset}`);
  return (await res.json()) as DdmPage;
}

function offsetsAfterFirst(t: DdmTarget, total: number): number[] {
  const out: number[] = [];
  for (let offset = t.pageSize; offset < total; offset += t.pageSize) out.push(offset);
  return out;
}

/** A page at a time, until the total is reached. */
export async function sequentialFetch(t: DdmTarget): Promise<unknown[]> {
  const jobs: unknown[] = [];
  for (let offset = 0; ; offset += t.pageSize) {
    const p = await page(t, offset);
    for (const j of p.jobs) jobs.push(j);
    if (p.jobs.length < t.pageSize || offset + t.pageSize >= (p.total ?? Infinity)) return jobs;
  }
}

/** The first page for the total, then 8 workers taking the next offset as each finishes. */
export async function fetchEightAtATime(t: DdmTarget): Promise<unknown[]> {
  const first = await page(t, 0);
  const offsets = offsetsAfterFirst(t, first.total ?? 0);
  const pages: DdmPage[] = new Array<DdmPage>(offsets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < offsets.length) {
      const i = next++;
      pages[i] = await page(t, offsets[i]!);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const jobs = [...first.jobs];
  for (const p of pages) for (const j of p.jobs) jobs.push(j);
  return jobs;
}

/**
 * A floor for the clients that learn the total from the first page: that page, then every other
 * page at once through undici's `request` (lighter than `fetch`), each body received whole and not
 * parsed: about the network's and the server's time alone, what a client's own work per job adds to.
 */
export async function requestAllUnparsed(t: DdmTarget): Promise<number> {
  const first = await page(t, 0);
  const sizes = await Promise.all(
    offsetsAfterFirst(t, first.total ?? 0).map(async (offset) => {
      const res = await request(...pageRequest(t, offset));
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} at offset ${offset}`);
      return (await res.body.arrayBuffer()).byteLength;
    }),
  );
  if (sizes.some((n) => n === 0)) throw new Error("an empty page body");
  return first.total ?? 0;
}

/** The first page for the total, then every other page at once. */
export async function fetchAllAtOnce(t: DdmTarget): Promise<unknown[]> {
  const first = await page(t, 0);
  const pages = await Promise.all(offsetsAfterFirst(t, first.total ?? 0).map((offset) => page(t, offset)));
  const jobs = [...first.jobs];
  for (const p of pages) for (const j of p.jobs) jobs.push(j);
  return jobs;
}
