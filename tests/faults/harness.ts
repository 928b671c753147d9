/** Shared by the fault suites: an emulator, clients tuned for fast retries, and the seeded id sets. */
import { startEmulator, type EmulatorOptions, type FaultConfig, type RunningEmulator } from "../../emulator";
import {
  type Client,
  type ClientOptions,
  createClient,
  listDdmJobs,
  listDdsJobs,
  listDrsJobs,
  type RequestLogEvent,
} from "../../provider";

export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40 } as const;

/** Starts an emulator for the enclosing describe block (manual clock: ids and statuses hold still). */
export function useEmulator(opts: EmulatorOptions): () => RunningEmulator {
  let emu: RunningEmulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ clock: "manual", ...opts });
  });
  afterEach(() => emu?.admin.reset());
  afterAll(() => emu?.close());
  return () => emu!;
}

export interface LoggedClient {
  client: Client;
  log: RequestLogEvent[];
}

/** A client on the emulator that records every attempt; `extra` overrides the fast-retry defaults. */
export function clientFor(emu: RunningEmulator, extra: Partial<ClientOptions> = {}): LoggedClient {
  const log: RequestLogEvent[] = [];
  const client = createClient({
    projectId: emu.projectId,
    token: emu.token,
    endpoints: emu.endpoints,
    attemptTimeoutMs: 5_000,
    deadlineMs: 20_000,
    logger: (e) => log.push(e),
    ...extra,
    retry: { maxRetries: 8, ...FAST_RETRY, ...extra.retry },
  });
  return { client, log };
}

export const sorted = (ids: string[]): string[] => [...ids].sort();
const idsOf = (jobs: Array<{ id: string }>): string[] => jobs.map((j) => j.id);

/** The ids the emulator holds, per listing the suites run. */
export function seededIds(emu: RunningEmulator): { ddm: string[]; dds: string[]; drs: string[] } {
  return {
    ddm: idsOf(emu.admin.jobs("ddm")),
    dds: idsOf(emu.admin.jobs("dds")),
    drs: idsOf(emu.admin.jobs("drs").filter((j) => j.db_use_type === "migration")),
  };
}

/** Lists all three services one after another (so the fault sequence is consumed in a fixed order). */
export async function listAll(client: Client, pageSize: number): Promise<{ ddm: string[]; dds: string[]; drs: string[] }> {
  const ddm = idsOf((await listDdmJobs(client, { startTime: "29d", pageSize })).jobs);
  const dds = idsOf((await listDdsJobs(client, { startTime: "29d", pageSize })).jobs);
  const drs = idsOf((await listDrsJobs(client, { dbUseType: "migration", pageSize })).jobs);
  return { ddm, dds, drs };
}

/** Each listing returned every seeded job exactly once. */
export function expectExactly(got: { ddm: string[]; dds: string[]; drs: string[] }, want: { ddm: string[]; dds: string[]; drs: string[] }): void {
  for (const s of ["ddm", "dds", "drs"] as const) {
    expect({ service: s, count: got[s].length, distinct: new Set(got[s]).size }).toEqual({ service: s, count: want[s].length, distinct: want[s].length });
    expect(sorted(got[s])).toEqual(sorted(want[s]));
  }
}

/** Runs `fn` under `faults` and returns its outcome (value or error) and how long it took. */
export async function underFaults<T>(
  emu: RunningEmulator,
  faults: FaultConfig,
  fn: () => Promise<T>,
): Promise<{ value?: T; error?: Error; elapsedMs: number }> {
  emu.admin.reset(); // faults and stats start from zero
  emu.admin.setFaults(faults);
  const started = Date.now();
  try {
    const value = await fn();
    return { value, elapsedMs: Date.now() - started };
  } catch (e) {
    return { error: e as Error, elapsedMs: Date.now() - started };
  } finally {
    emu.admin.setFaults({});
  }
}
