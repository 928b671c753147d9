/** Request, response and fault counters for the admin API. */
import type { FaultDecision } from "./faults";
import { SERVICE_KEYS, type ServiceKey } from "./names";

export interface FaultCounts {
  /** reset + throttle + error + truncate + malformed */
  total: number;
  reset: number;
  /** 429 answers (random or scripted) */
  throttle: number;
  /** other injected statuses */
  error: number;
  truncate: number;
  malformed: number;
  /** requests that waited latency/jitter */
  delayed: number;
  /** responses sent slowly */
  slowBody: number;
}

export interface EmulatorStats {
  requests: {
    total: number;
    byService: Record<ServiceKey, number>;
    /** key: `<service> <METHOD> <pattern>`, e.g. `ddm GET /v3/{project_id}/jobs`; unmatched: `<service> unmatched` */
    byRoute: Record<string, number>;
  };
  /** service responses by HTTP status code (resets, admin and unknown gateway paths not included) */
  responses: Record<string, number>;
  faults: FaultCounts;
  /** Requests refused by the rate limit (`throttle` option): 429 APIGW.0308. */
  rateLimited: number;
  auth: AuthCounts;
}

export interface AuthCounts {
  /** Authenticated service calls by method: `token`, `aksk`. */
  accepted: Record<string, number>;
  /** Service calls refused by authentication (401/403 before the handler). */
  rejected: number;
  /** Tokens issued by `POST /v3/auth/tokens` (201 answers; the admin `issueToken` is not counted). */
  tokensIssued: number;
}

function emptyFaults(): FaultCounts {
  return { total: 0, reset: 0, throttle: 0, error: 0, truncate: 0, malformed: 0, delayed: 0, slowBody: 0 };
}

export class Stats {
  private data = Stats.empty();

  private static empty(): EmulatorStats {
    const byService = Object.fromEntries(SERVICE_KEYS.map((k) => [k, 0])) as Record<ServiceKey, number>;
    return {
      requests: { total: 0, byService, byRoute: {} },
      responses: {},
      faults: emptyFaults(),
      rateLimited: 0,
      auth: { accepted: {}, rejected: 0, tokensIssued: 0 },
    };
  }

  request(service: ServiceKey): void {
    this.data.requests.total++;
    this.data.requests.byService[service]++;
  }

  route(key: string): void {
    this.data.requests.byRoute[key] = (this.data.requests.byRoute[key] ?? 0) + 1;
  }

  response(status: number): void {
    this.data.responses[status] = (this.data.responses[status] ?? 0) + 1;
  }

  fault(decision: FaultDecision): void {
    const f = this.data.faults;
    if (decision.delayMs > 0) f.delayed++;
    const a = decision.action;
    if (a.kind === "ok") return;
    f.total++;
    if (a.kind === "status") {
      if (a.status === 429) f.throttle++;
      else f.error++;
    } else {
      f[a.kind]++;
    }
  }

  rateLimited(): void {
    this.data.rateLimited++;
  }

  authenticated(method: string): void {
    const accepted = this.data.auth.accepted;
    accepted[method] = (accepted[method] ?? 0) + 1;
  }

  authRejected(): void {
    this.data.auth.rejected++;
  }

  tokenIssued(): void {
    this.data.auth.tokensIssued++;
  }

  slowBody(): void {
    this.data.faults.slowBody++;
  }

  snapshot(): EmulatorStats {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = Stats.empty();
  }
}
