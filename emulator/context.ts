/** Everything a running emulator holds: options, clock, jobs, tokens, faults, stats, timers. */
import type { AuthEnv } from "./auth";
import { Clock } from "./clock";
import { jobCollection, type JobCollection } from "./data/collection";
import { ddmItem, ddmJobFromInput, generateDdmJobs, type DdmJob, type DdmJobItem } from "./data/ddm";
import { ddsItem, ddsJobFromInput, generateDdsJobs, type DdsJob, type DdsJobItem } from "./data/dds";
import { drsInfo, drsJobFromInput, generateDrsJobs, type DrsJob, type DrsJobInfo } from "./data/drs";
import { FaultInjector } from "./faults";
import type { ServiceKey } from "./names";
import type { ResolvedOptions } from "./options";
import { hashSeed, Rng } from "./random";
import { Stats } from "./stats";
import { Throttle } from "./throttle";
import { Timers } from "./timers";
import { type Account, createAccount, stableHexId } from "./projects";
import { TokenStore } from "./tokens";

export interface Jobs {
  ddm: JobCollection<DdmJob, DdmJobItem>;
  dds: JobCollection<DdsJob, DdsJobItem>;
  drs: JobCollection<DrsJob, DrsJobInfo>;
}

export interface EmulatorContext {
  options: ResolvedOptions;
  clock: Clock;
  jobs: Jobs;
  tokens: TokenStore;
  faults: FaultInjector;
  throttle: Throttle;
  stats: Stats;
  timers: Timers;
  /** Base URLs, filled in once the listeners are bound (the IAM catalog uses them). */
  endpoints: Record<ServiceKey, string>;
  /** The projects IAM lists; `jobs` above are the primary project's. */
  account: Account;
}

export function createContext(options: ResolvedOptions): EmulatorContext {
  const { seed, now } = options;
  // Each service draws from its own stream, so one service's count never changes another's data.
  const seeded = (label: string): Rng => new Rng(hashSeed(seed, label));
  const faults = new FaultInjector(seed);
  faults.set(options.faults);
  const throttle = new Throttle();
  throttle.set(options.throttle);
  return {
    options,
    clock: new Clock(now, options.clock),
    jobs: {
      ddm: jobCollection(generateDdmJobs(seeded("ddm"), options.jobs.ddm, now), seeded("ddm-added"), ddmJobFromInput, (j, t) => ddmItem(j, t, options.shapes)),
      dds: jobCollection(generateDdsJobs(seeded("dds"), options.jobs.dds, now), seeded("dds-added"), ddsJobFromInput, (j, t) => ddsItem(j, t, options.shapes)),
      drs: jobCollection(generateDrsJobs(seeded("drs"), options.jobs.drs, now), seeded("drs-added"), drsJobFromInput, (j, t) => drsInfo(j, t, options.shapes)),
    },
    tokens: new TokenStore(),
    faults,
    throttle,
    stats: new Stats(),
    timers: new Timers(),
    endpoints: { ddm: "", dds: "", drs: "", iam: "" },
    account: createAccount(options, stableHexId("domain", options.users[0]?.domain ?? "emulator-domain")),
  };
}

export function authEnv(ctx: EmulatorContext, now: number): AuthEnv {
  return { now, projectId: ctx.options.projectId, accountProject: (id) => ctx.account.serviceProject(id) !== undefined, staticToken: ctx.options.token, tokens: ctx.tokens, accessKeys: ctx.options.accessKeys };
}
