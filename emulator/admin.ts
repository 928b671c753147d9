/** The admin API: the in-process handle and its HTTP form under `${gateway}/admin`. */
import { z } from "zod";
import type { EmulatorContext } from "./context";
import type { DdmJobItem } from "./data/ddm";
import type { DdsJobItem } from "./data/dds";
import type { DrsJobInfo } from "./data/drs";
import { type AddJobInput, parseAddJobInput } from "./data/input";
import { DuplicateJobError } from "./data/store";
import { adminError, type HttpReply } from "./errors";
import type { FaultConfig } from "./faults";
import { isServiceName, type ServiceName } from "./names";
import { Router } from "./router";
import type { EmulatorStats } from "./stats";
import { isoTime } from "./time";
import { MAX_ADVANCE_MS } from "./clock";
import type { ThrottleConfig } from "./throttle";
import { throttleConfigSchema } from "./throttleSchema";

/** Longest token an admin may issue: one year. */
const MAX_TOKEN_TTL_MS = 365 * 86_400_000;

export type JobView = DdmJobItem | DdsJobItem | DrsJobInfo;

export interface EmulatorAdmin {
  /** Emulator time. */
  now(): Date;
  /** Moves the clock forward; returns the new time. */
  advance(ms: number): Date;
  /** Inserts a job and returns it as the list API shows it now. */
  addJob(service: "ddm", input?: AddJobInput): DdmJobItem;
  addJob(service: "dds", input?: AddJobInput): DdsJobItem;
  addJob(service: "drs", input?: AddJobInput): DrsJobInfo;
  addJob(service: ServiceName, input?: AddJobInput): JobView;
  /** Every job visible now, newest first, as the list API shows it. */
  jobs(service: "ddm"): DdmJobItem[];
  jobs(service: "dds"): DdsJobItem[];
  jobs(service: "drs"): DrsJobInfo[];
  jobs(service: ServiceName): JobView[];
  /** Replaces the fault config (validated) and restarts the fault sequence. */
  setFaults(faults: FaultConfig): void;
  faults(): FaultConfig;
  stats(): EmulatorStats;
  /** Sets (or with `undefined` lifts) the gateway's request-rate limit per project. */
  setThrottle(throttle: ThrottleConfig | undefined): void;
  throttle(): ThrottleConfig | undefined;
  /** Clears faults, throttle and stats (jobs and clock stay). */
  reset(): void;
  /** Issues a project-scoped token as IAM would, e.g. a short-lived one to test expiry. */
  issueToken(opts?: { ttlMs?: number }): { token: string; expiresAt: Date };
}

export class Admin implements EmulatorAdmin {
  constructor(private readonly ctx: EmulatorContext) {}

  now(): Date {
    return new Date(this.ctx.clock.now());
  }

  advance(ms: number): Date {
    return new Date(this.ctx.clock.advance(ms));
  }

  addJob(service: "ddm", input?: AddJobInput): DdmJobItem;
  addJob(service: "dds", input?: AddJobInput): DdsJobItem;
  addJob(service: "drs", input?: AddJobInput): DrsJobInfo;
  addJob(service: ServiceName, input?: AddJobInput): JobView;
  addJob(service: ServiceName, input: AddJobInput = {}): JobView {
    return this.ctx.jobs[service].add(input, this.ctx.clock.now());
  }

  jobs(service: "ddm"): DdmJobItem[];
  jobs(service: "dds"): DdsJobItem[];
  jobs(service: "drs"): DrsJobInfo[];
  jobs(service: ServiceName): JobView[];
  jobs(service: ServiceName): JobView[] {
    return this.ctx.jobs[service].views(this.ctx.clock.now());
  }

  setFaults(faults: FaultConfig): void {
    this.ctx.faults.set(faults);
  }

  faults(): FaultConfig {
    return this.ctx.faults.get();
  }

  stats(): EmulatorStats {
    return this.ctx.stats.snapshot();
  }

  setThrottle(throttle: ThrottleConfig | undefined): void {
    this.ctx.throttle.set(throttle);
  }

  throttle(): ThrottleConfig | undefined {
    return this.ctx.throttle.get();
  }

  reset(): void {
    this.ctx.faults.set({});
    this.ctx.throttle.set(this.ctx.options.throttle);
    this.ctx.stats.reset();
  }

  issueToken(opts: { ttlMs?: number } = {}): { token: string; expiresAt: Date } {
    const now = this.ctx.clock.now();
    const ttl = opts.ttlMs ?? this.ctx.options.tokenTtlMs;
    const user = this.ctx.options.users[0];
    const issued = this.ctx.tokens.issue({
      user: user?.name ?? "emulator-user",
      domain: user?.domain ?? "emulator-domain",
      issuedAt: now,
      expiresAt: now + ttl,
      projectId: this.ctx.options.projectId,
    });
    return { token: issued.token, expiresAt: new Date(issued.expiresAt) };
  }
}

// ---- HTTP -------------------------------------------------------------------------------------

interface AdminRequest {
  admin: Admin;
  params: Record<string, string>;
  body: unknown;
}

type AdminHandler = (req: AdminRequest) => HttpReply;

const ok = (body: unknown, status = 200): HttpReply => ({ status, body });

function clockBody(now: Date): { now: number; iso: string } {
  return { now: now.getTime(), iso: isoTime(now.getTime()) };
}

function service(params: Record<string, string>): ServiceName {
  const s = params.service ?? "";
  if (!isServiceName(s)) throw new RangeError(`unknown service "${s}": use ddm, dds or drs`);
  return s;
}

// Range-checked here, before anything is touched: a rejected request changes nothing.
const advanceSchema = z.strictObject({ advanceMs: z.number().int().min(0).max(MAX_ADVANCE_MS) });
const tokenSchema = z.strictObject({ ttlMs: z.number().int().min(0).max(MAX_TOKEN_TTL_MS).optional() });
const throttleSchema = z.strictObject({ throttle: throttleConfigSchema.nullable() });

const routes: Array<{ method: string; pattern: string; handler: AdminHandler }> = [
  { method: "GET", pattern: "/clock", handler: ({ admin }) => ok(clockBody(admin.now())) },
  { method: "POST", pattern: "/clock", handler: ({ admin, body }) => ok(clockBody(admin.advance(advanceSchema.parse(body).advanceMs))) },
  { method: "GET", pattern: "/faults", handler: ({ admin }) => ok({ faults: admin.faults() }) },
  {
    method: "PUT",
    pattern: "/faults",
    handler: ({ admin, body }) => {
      admin.setFaults(body as FaultConfig);
      return ok({ faults: admin.faults() });
    },
  },
  { method: "GET", pattern: "/throttle", handler: ({ admin }) => ok({ throttle: admin.throttle() ?? null }) },
  {
    method: "PUT",
    pattern: "/throttle",
    handler: ({ admin, body }) => {
      admin.setThrottle(throttleSchema.parse(body).throttle ?? undefined);
      return ok({ throttle: admin.throttle() ?? null });
    },
  },
  { method: "GET", pattern: "/stats", handler: ({ admin }) => ok(admin.stats()) },
  {
    method: "POST",
    pattern: "/reset",
    handler: ({ admin }) => {
      admin.reset();
      return ok({ reset: true });
    },
  },
  { method: "GET", pattern: "/jobs/{service}", handler: ({ admin, params }) => ok({ jobs: admin.jobs(service(params)) }) },
  {
    method: "POST",
    pattern: "/jobs/{service}",
    handler: ({ admin, params, body }) => {
      const s = service(params);
      return ok({ job: admin.addJob(s, parseAddJobInput(body ?? {})) }, 201);
    },
  },
  {
    method: "POST",
    pattern: "/tokens",
    handler: ({ admin, body }) => {
      const issued = admin.issueToken(tokenSchema.parse(body ?? {}));
      return ok({ token: issued.token, expires_at: issued.expiresAt.toISOString() }, 201);
    },
  },
];

const router = new Router(routes);

/** Serves one admin request; `path` is relative to `/admin`. */
export function adminReply(admin: Admin, method: string, path: string, rawBody: Buffer): HttpReply {
  const match = router.match(method, path);
  if (match.kind === "none") return adminError(404, `no admin route ${method} /admin${path}`);
  if (match.kind === "method") return { ...adminError(405, `use ${match.allowed.join(" or ")}`), headers: { Allow: match.allowed.join(", ") } };
  let body: unknown;
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return adminError(400, "the request body is not valid JSON");
    }
  }
  try {
    return match.route.handler({ admin, params: match.params, body });
  } catch (err) {
    if (err instanceof DuplicateJobError) return adminError(409, err.message);
    if (err instanceof z.ZodError) {
      const issue = err.issues[0];
      return adminError(400, `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
    }
    if (err instanceof RangeError || err instanceof TypeError) return adminError(400, err.message);
    throw err;
  }
}
