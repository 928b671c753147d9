/** Method + path-pattern routing: `/v3/{project_id}/jobs/{job_id}` style patterns, exact segment counts. */

export interface Route<H> {
  method: string;
  pattern: string;
  handler: H;
}

export type RouteMatch<H> =
  | { kind: "found"; route: Route<H>; params: Record<string, string> }
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };

interface Compiled<H> {
  route: Route<H>;
  segments: string[];
}

function split(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.split("/").slice(1);
}

export class Router<H> {
  private readonly compiled: Compiled<H>[];

  constructor(routes: ReadonlyArray<Route<H>>) {
    this.compiled = routes.map((route) => ({ route, segments: split(route.pattern) }));
  }

  match(method: string, path: string): RouteMatch<H> {
    const segments = split(path);
    const allowed: string[] = [];
    for (const { route, segments: pattern } of this.compiled) {
      const params = matchSegments(pattern, segments);
      if (!params) continue;
      if (route.method === method) return { kind: "found", route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "method", allowed } : { kind: "none" };
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = segments[i] as string;
    if (p.startsWith("{") && p.endsWith("}")) {
      if (s === "") return undefined;
      try {
        params[p.slice(1, -1)] = decodeURIComponent(s);
      } catch {
        return undefined;
      }
    } else if (p !== s) {
      return undefined;
    }
  }
  return params;
}
