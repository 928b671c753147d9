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
}

function emptyFaults(): FaultCounts {
  return { total: 0, reset: 0, throttle: 0, error: 0, truncate: 0, malformed: 0, delayed: 0, slowBody: 0 };
}

export class Stats {
  private data = Stats.empty();

  private static empty(): EmulatorStats {
    const byService = Object.fromEntries(SERVICE_KEYS.map((k) => [k, 0])) as Record<ServiceKey, number>;
    return { requests: { total: 0, byService, byRoute: {} }, responses: {}, faults: emptyFaults() };
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
