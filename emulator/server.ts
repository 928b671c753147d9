/**
 * The listeners and the request pipeline. A service request goes: read body -> route -> fault
 * (delay, reset, injected status) -> authenticate -> project check -> handler -> send (possibly
 * truncated, malformed or slow). The gateway routes `/ddm|/dds|/drs|/iam/...` to the same pipeline
 * and `/admin/...` to the admin API.
 */
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { adminReply, type Admin } from "./admin";
import { authenticate, type Principal } from "./auth";
import { authEnv, type EmulatorContext } from "./context";
import { ApiError, gateway, type HttpReply } from "./errors";
import type { FaultAction } from "./faults";
import { isServiceKey, type ServiceKey } from "./names";
import type { RouteMatch } from "./router";
import { ddmService } from "./services/ddm";
import { ddsService } from "./services/dds";
import { drsService } from "./services/drs";
import { iamService } from "./services/iam";
import type { RouteSpec, ServiceDef } from "./services/types";

export const SERVICES: Record<ServiceKey, ServiceDef> = { ddm: ddmService, dds: ddsService, drs: drsService, iam: iamService };

const JSON_TYPE = "application/json;charset=UTF-8";
const MAX_BODY_BYTES = 1 << 20;
/** What a "malformed" fault sends instead of JSON: a proxy's HTML error page. */
const MALFORMED_BODY = "<html><head><title>502 Bad Gateway</title></head><body><center>upstream sent an invalid response</center></body></html>";

function requestId(): string {
  // randomUUID draws from a cached entropy pool: a syscall per request was visible in profiles.
  return randomUUID().replaceAll("-", "");
}

/** The whole body, or undefined when it exceeds the limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined;
}

interface SendOptions {
  mangle?: "truncate" | "malformed";
  slowBodyMs?: number;
}

function send(ctx: EmulatorContext, res: ServerResponse, reply: HttpReply, rid: string, opts: SendOptions = {}): void {
  if (res.destroyed) return;
  let payload = Buffer.from(reply.json ?? JSON.stringify(reply.body), "utf8");
  if (opts.mangle === "truncate") payload = payload.subarray(0, Math.max(1, Math.floor(payload.length / 2)));
  if (opts.mangle === "malformed") payload = Buffer.from(MALFORMED_BODY, "utf8");
  res.writeHead(reply.status, {
    ...reply.headers,
    "X-Request-Id": rid,
    "Content-Type": JSON_TYPE,
    "Content-Length": String(payload.length),
  });
  const slowMs = opts.slowBodyMs ?? 0;
  if (slowMs <= 0 || payload.length < 2) {
    res.end(payload);
    return;
  }
  // A few chunks, the first now and the last after about slowMs. Each chunk schedules the next:
  // timers of different lengths started together may fire out of order when the event loop is
  // late (Node runs each duration's list in turn), which reordered or dropped chunks (a body that
  // never completed, or bytes out of place).
  ctx.stats.slowBody();
  const parts = Math.min(4, payload.length);
  const size = Math.ceil(payload.length / parts);
  const gapMs = Math.round(slowMs / (parts - 1));
  let part = 0;
  const writeNext = (): void => {
    if (res.destroyed) return;
    const chunk = payload.subarray(part * size, (part + 1) * size);
    if (part === parts - 1) {
      res.end(chunk);
      return;
    }
    res.write(chunk);
    part++;
    ctx.timers.after(gapMs, writeNext);
  };
  writeNext();
}

function injected(ctx: EmulatorContext, def: ServiceDef, action: Extract<FaultAction, { kind: "status" }>, rid: string): HttpReply {
  const { status, retryAfterSeconds } = action;
  const reply =
    status === 429 ? gateway.throttled(rid)
    : status === 401 ? gateway.badToken(rid)
    : status === 404 ? gateway.notFound(rid)
    : status >= 500 ? gateway.upstream(rid, status)
    : def.injectedError(ctx, status);
  return retryAfterSeconds === undefined ? reply : { ...reply, headers: { ...reply.headers, "Retry-After": String(retryAfterSeconds) } };
}

interface Target {
  method: string;
  /** As received by the listener (what a client signed). */
  rawUrl: string;
  /** Path + query as the service sees it. */
  servicePath: string;
}

function handle(
  ctx: EmulatorContext, def: ServiceDef, match: RouteMatch<RouteSpec>, target: Target, req: IncomingMessage, body: Buffer, rid: string,
): HttpReply {
  if (match.kind === "none") return gateway.notFound(rid);
  if (match.kind === "method") return gateway.methodNotAllowed(rid, target.method, match.allowed);
  const { route, params } = match;
  const now = ctx.clock.now();
  let principal: Principal | undefined;
  if (route.handler.auth) {
    const result = authenticate(
      ctx.options.authenticators,
      { service: def.key, method: target.method, url: target.rawUrl, servicePath: target.servicePath, headers: req.headers, body, requestId: rid },
      authEnv(ctx, now),
    );
    if (!result.ok) {
      ctx.stats.authRejected();
      return result.reply;
    }
    ctx.stats.authenticated(result.principal.method);
    principal = result.principal;
  }
  const pid = params.project_id;
  let scoped = ctx;
  if (pid !== undefined) {
    if (principal && principal.projectId === undefined) return gateway.badToken(rid, "the token is not scoped to a project");
    const project = ctx.account.serviceProject(pid);
    if (!project || (principal && principal.projectId !== pid)) return def.wrongProject(ctx, pid);
    scoped = ctx.account.contextFor(ctx, project);
  }
  const query = new URL(target.servicePath, "http://emulator.invalid").searchParams;
  try {
    return route.handler.handler({ ctx: scoped, params, query, body, headers: req.headers, requestId: rid, now });
  } catch (err) {
    if (err instanceof ApiError) return err.reply;
    throw err;
  }
}

async function serveService(ctx: EmulatorContext, def: ServiceDef, req: IncomingMessage, res: ServerResponse, servicePath: string): Promise<void> {
  const rid = requestId();
  ctx.stats.request(def.key);
  const body = await readBody(req);
  if (body === undefined) {
    ctx.stats.response(413);
    return send(ctx, res, gateway.payloadTooLarge(rid), rid);
  }
  const method = req.method ?? "GET";
  const path = servicePath.split("?")[0] ?? "/";
  const match = def.router.match(method, path);
  ctx.stats.route(match.kind === "found" ? `${def.key} ${method} ${match.route.pattern}` : `${def.key} unmatched`);
  // The gateway's rate limit comes first: a refused request reaches neither faults nor the service.
  if (def.key !== "iam") {
    const verdict = ctx.throttle.take(match.kind === "found" ? (match.params.project_id ?? "-") : "-");
    if (!verdict.admitted) {
      ctx.stats.rateLimited();
      ctx.stats.response(429);
      return send(ctx, res, gateway.throttled(rid, verdict.retryAfterSeconds), rid);
    }
  }
  const decision = ctx.faults.decide(def.key);
  ctx.stats.fault(decision);
  if (decision.delayMs > 0) await ctx.timers.sleep(decision.delayMs);
  const { action } = decision;
  if (action.kind === "reset") {
    req.socket.destroy();
    return;
  }
  const reply =
    action.kind === "status"
      ? injected(ctx, def, action, rid)
      : handle(ctx, def, match, { method, rawUrl: req.url ?? "/", servicePath }, req, body, rid);
  const mangle = action.kind === "truncate" || action.kind === "malformed" ? action.kind : undefined;
  ctx.stats.response(reply.status);
  send(ctx, res, reply, rid, { ...(mangle ? { mangle } : {}), slowBodyMs: decision.slowBodyMs });
}

async function serveGateway(ctx: EmulatorContext, admin: Admin, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = req.url ?? "/";
  const [pathname = "/", ...rest] = raw.split("?");
  const search = rest.length > 0 ? `?${rest.join("?")}` : "";
  const m = /^\/([^/]+)(\/.*)?$/.exec(pathname);
  const head = m?.[1] ?? "";
  const tail = m?.[2] ?? "/";
  if (isServiceKey(head)) return serveService(ctx, SERVICES[head], req, res, tail + search);
  const rid = requestId();
  const body = await readBody(req);
  if (head === "admin" && body !== undefined) return send(ctx, res, adminReply(admin, req.method ?? "GET", tail, body), rid);
  send(ctx, res, body === undefined ? gateway.payloadTooLarge(rid) : gateway.notFound(rid), rid);
}

function guarded(fn: (req: IncomingMessage, res: ServerResponse) => Promise<void>): http.RequestListener {
  return (req, res) => {
    fn(req, res).catch((err: unknown) => {
      console.error("emulator: request failed:", err);
      if (!res.headersSent && !res.destroyed) {
        const rid = requestId();
        res.writeHead(500, { "X-Request-Id": rid, "Content-Type": JSON_TYPE });
        res.end(JSON.stringify(gateway.upstream(rid, 500).body));
      }
    });
  };
}

function urlOf(host: string, server: http.Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface Listening {
  endpoints: Record<ServiceKey, string>;
  gateway: string;
  close(): Promise<void>;
}

/** Binds one listener per service plus the gateway; on failure closes what was bound. */
export async function startServers(ctx: EmulatorContext, admin: Admin): Promise<Listening> {
  const { host, port } = ctx.options;
  const services = Object.values(SERVICES).map((def) => ({
    def,
    server: http.createServer(guarded((req, res) => serveService(ctx, def, req, res, req.url ?? "/"))),
  }));
  const gatewayServer = http.createServer(guarded((req, res) => serveGateway(ctx, admin, req, res)));
  const all = [...services.map((s) => s.server), gatewayServer];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      ctx.timers.clear();
      await Promise.all(all.map(closeServer));
    })();
    return closing;
  };
  try {
    for (const { def, server } of services) {
      await listen(server, 0, host);
      ctx.endpoints[def.key] = urlOf(host, server);
    }
    await listen(gatewayServer, port, host);
  } catch (err) {
    await close();
    throw err;
  }
  return { endpoints: { ...ctx.endpoints }, gateway: urlOf(host, gatewayServer), close };
}
