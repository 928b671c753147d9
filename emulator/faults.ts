/**
 * Fault injection for service routes (never admin). Each request to a faulted service takes the next
 * number of a counter; the decision is a pure function of (seed, counter, config), so runs repeat.
 * The counter restarts whenever the config is set.
 */
import { z } from "zod";
import type { ServiceKey } from "./names";
import { hashSeed, Rng } from "./random";

export type ScriptStep = "ok" | "reset" | "truncate" | "malformed" | { status: number; retryAfterSeconds?: number };

export interface FaultConfig {
  /** Added before responding (every faulted request). */
  latencyMs?: number;
  /** Up to this much more, uniformly. */
  jitterMs?: number;
  /** Share of requests answered with one of `errorStatuses` (default [503]). */
  errorRate?: number;
  errorStatuses?: number[];
  /** Share of requests whose socket is destroyed without a response. */
  resetRate?: number;
  /** Share of requests answered 429 APIGW.0308 with `Retry-After: retryAfterSeconds` (default 1). */
  throttleRate?: number;
  retryAfterSeconds?: number;
  /** Send the body in a few chunks spread over this time. */
  slowBodyMs?: number;
  /** Share of responses whose body is cut in the middle of the JSON (status unchanged). */
  truncateRate?: number;
  /** Share of responses whose body is replaced by something that is not JSON (status unchanged). */
  malformedRate?: number;
  /** Consumed in order before the random faults: the first request after setting gets script[0]. */
  script?: ScriptStep[];
  /** Services the faults apply to; default ddm, dds, drs and iam. */
  services?: ServiceKey[];
}

const rate = z.number().min(0).max(1);
/** Delays up to ten minutes: longer ones would overflow nothing, but only ever hang a test. */
const ms = z.number().min(0).max(600_000);
const retryAfter = z.number().int().min(0).max(3_600);

const faultConfigSchema: z.ZodType<FaultConfig> = z.strictObject({
  latencyMs: ms.optional(),
  jitterMs: ms.optional(),
  errorRate: rate.optional(),
  errorStatuses: z.array(z.number().int().min(400).max(599)).min(1).optional(),
  resetRate: rate.optional(),
  throttleRate: rate.optional(),
  retryAfterSeconds: retryAfter.optional(),
  slowBodyMs: ms.optional(),
  truncateRate: rate.optional(),
  malformedRate: rate.optional(),
  script: z
    .array(
      z.union([
        z.enum(["ok", "reset", "truncate", "malformed"]),
        z.strictObject({ status: z.number().int().min(400).max(599), retryAfterSeconds: retryAfter.optional() }),
      ]),
    )
    .max(100_000)
    .optional(),
  services: z.array(z.enum(["ddm", "dds", "drs", "iam"])).optional(),
});

/** Validates a config; throws a TypeError naming the bad field. */
export function parseFaultConfig(input: unknown): FaultConfig {
  const result = faultConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "faults";
    throw new TypeError(`invalid fault config at ${where}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

export type FaultAction =
  | { kind: "ok" }
  | { kind: "reset" }
  | { kind: "truncate" }
  | { kind: "malformed" }
  | { kind: "status"; status: number; retryAfterSeconds?: number };

export interface FaultDecision {
  action: FaultAction;
  delayMs: number;
  slowBodyMs: number;
}

export const NO_FAULT: FaultDecision = { action: { kind: "ok" }, delayMs: 0, slowBodyMs: 0 };

export class FaultInjector {
  private config: FaultConfig = {};
  private counter = 0;

  constructor(private readonly seed: number) {}

  set(config: FaultConfig): void {
    this.config = parseFaultConfig(config);
    this.counter = 0;
  }

  get(): FaultConfig {
    return structuredClone(this.config);
  }

  decide(service: ServiceKey): FaultDecision {
    const c = this.config;
    if (c.services && !c.services.includes(service)) return NO_FAULT;
    const n = this.counter++;
    // Always draw the same three numbers so one knob never shifts another's sequence.
    const rng = new Rng(hashSeed(this.seed, "faults", n));
    const jitterDraw = rng.next();
    const kindDraw = rng.next();
    const statusDraw = rng.next();
    const step = c.script?.[n];
    const action = step !== undefined ? fromScript(step) : this.random(kindDraw, statusDraw);
    return {
      action,
      delayMs: Math.round((c.latencyMs ?? 0) + (c.jitterMs ?? 0) * jitterDraw),
      slowBodyMs: c.slowBodyMs ?? 0,
    };
  }

  private random(u: number, statusDraw: number): FaultAction {
    const c = this.config;
    const bands: Array<[number, () => FaultAction]> = [
      [c.resetRate ?? 0, () => ({ kind: "reset" })],
      [c.throttleRate ?? 0, () => ({ kind: "status", status: 429, retryAfterSeconds: c.retryAfterSeconds ?? 1 })],
      [c.errorRate ?? 0, () => this.errorStatus(statusDraw)],
      [c.truncateRate ?? 0, () => ({ kind: "truncate" })],
      [c.malformedRate ?? 0, () => ({ kind: "malformed" })],
    ];
    let edge = 0;
    for (const [width, make] of bands) {
      edge += width;
      if (u < edge) return make();
    }
    return { kind: "ok" };
  }

  private errorStatus(draw: number): FaultAction {
    const statuses = this.config.errorStatuses ?? [503];
    const status = statuses[Math.floor(draw * statuses.length)] ?? 503;
    const retry = this.config.retryAfterSeconds;
    return retry === undefined ? { kind: "status", status } : { kind: "status", status, retryAfterSeconds: retry };
  }
}

function fromScript(step: ScriptStep): FaultAction {
  if (typeof step === "string") return { kind: step };
  return step.retryAfterSeconds === undefined
    ? { kind: "status", status: step.status }
    : { kind: "status", status: step.status, retryAfterSeconds: step.retryAfterSeconds };
}
