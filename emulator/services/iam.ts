/**
 * IAM: password tokens (`POST /v3/auth/tokens`), project lookup (`GET /v3/projects?name=`) and the
 * projects a caller may use (`GET /v3/auth/projects`), over the account of `../projects.ts`.
 */
import { createHash } from "node:crypto";
import type { EmulatorContext } from "../context";
import { fail, iamError, type HttpReply } from "../errors";
import type { EmulatorUser } from "../options";
import type { EmulatedProject } from "../projects";
import { Router } from "../router";
import { iamTime } from "../time";
import { queryValue, type HandlerInput, type ServiceDef } from "./types";

/** A stable 32-hex id for a name. */
function idOf(kind: string, name: string): string {
  return createHash("sha256").update(`${kind}/${name}`).digest("hex").slice(0, 32);
}

const badRequest = (field: string): HttpReply => iamError(400, "IAM.0011", `Request parameter ${field} is invalid.`);

function field(obj: unknown, key: string): unknown {
  return typeof obj === "object" && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

function text(obj: unknown, key: string, path: string): string {
  const v = field(obj, key);
  if (typeof v !== "string" || v === "") fail(badRequest(path));
  return v;
}

function projectDomain(ctx: EmulatorContext): { id: string; name: string } {
  const name = ctx.options.users[0]?.domain ?? "emulator-domain";
  return { id: idOf("domain", name), name };
}

function project(ctx: EmulatorContext, p: EmulatedProject): { id: string; name: string; domain: { id: string; name: string } } {
  return { id: p.id, name: p.name, domain: projectDomain(ctx) };
}

/** A project as IAM's project lists show it. */
function projectEntry(ctx: EmulatorContext, p: EmulatedProject): Record<string, unknown> {
  const domainId = projectDomain(ctx).id;
  return {
    id: p.id,
    name: p.name,
    domain_id: domainId,
    parent_id: p.parentId,
    description: "",
    enabled: true,
    is_domain: false,
    links: { self: `${ctx.endpoints.iam}/v3/projects/${p.id}` },
  };
}

function findUser(ctx: EmulatorContext, user: unknown): EmulatorUser {
  const name = text(user, "name", "auth.identity.password.user.name");
  const password = text(user, "password", "auth.identity.password.user.password");
  const domain = field(user, "domain");
  const domainName = field(domain, "name");
  const domainId = field(domain, "id");
  if (typeof domainName !== "string" && typeof domainId !== "string") fail(badRequest("auth.identity.password.user.domain"));
  const found = ctx.options.users.find(
    (u) => u.name === name && (u.domain === domainName || idOf("domain", u.domain) === domainId) && u.password === password,
  );
  if (!found) fail(iamError(401, "IAM.0062", "The username or password is wrong."));
  return found;
}

const scopeNotFound = (what: string): HttpReply =>
  iamError(401, "IAM.0001", `The request you have made requires authentication: the scoped ${what} was not found.`);

/** `{ id }` or `{ name }` (strings, at least one); a malformed one is 400. */
function scopeTarget(obj: unknown, path: string): { id?: string; name?: string } {
  const id = field(obj, "id");
  const name = field(obj, "name");
  const valid = (v: unknown): boolean => v === undefined || (typeof v === "string" && v !== "");
  if (typeof obj !== "object" || obj === null || !valid(id) || !valid(name) || (id === undefined && name === undefined)) {
    fail(badRequest(path));
  }
  return { ...(id !== undefined ? { id: id as string } : {}), ...(name !== undefined ? { name: name as string } : {}) };
}

/**
 * The project a scope asks for; undefined for a domain (global) token. Project scope by `id`
 * (wins over `name`) or by `name`, any project of the account; project wins over domain; an
 * empty or absent scope is global. A domain scope must name the user's domain.
 */
function scopedProject(ctx: EmulatorContext, scope: unknown, user: EmulatorUser): EmulatedProject | undefined {
  if (scope === undefined || scope === null) return undefined;
  if (typeof scope !== "object" || Array.isArray(scope)) fail(badRequest("auth.scope"));
  const wanted = field(scope, "project");
  if (wanted !== undefined) {
    const found = ctx.account.find(scopeTarget(wanted, "auth.scope.project"));
    if (!found) fail(scopeNotFound("project"));
    return found;
  }
  const domain = field(scope, "domain");
  if (domain !== undefined) {
    const { id, name } = scopeTarget(domain, "auth.scope.domain");
    const ok = id !== undefined ? id === idOf("domain", user.domain) : name === user.domain;
    if (!ok) fail(scopeNotFound("domain"));
  }
  return undefined;
}

function catalog(ctx: EmulatorContext, scoped: EmulatedProject | undefined): unknown[] {
  const pid = scoped?.id ?? ctx.options.projectId;
  const region = scoped?.region ?? ctx.options.projectName;
  const entry = (type: string, name: string, url: string) => ({
    type,
    id: idOf("service", type),
    name,
    endpoints: [{ id: idOf("endpoint", type), interface: "public", region, region_id: region, url }],
  });
  return [
    entry("identity", "iam", `${ctx.endpoints.iam}/v3`),
    entry("ddmv3", "ddm", `${ctx.endpoints.ddm}/v3/${pid}`),
    entry("ddsv3", "dds", `${ctx.endpoints.dds}/v3/${pid}`),
    entry("drs", "drs", `${ctx.endpoints.drs}/v3/${pid}`),
  ];
}

function issueToken(input: HandlerInput): HttpReply {
  const { ctx, now } = input;
  let body: unknown;
  try {
    body = JSON.parse(input.body.toString("utf8"));
  } catch {
    fail(badRequest("body"));
  }
  const identity = field(field(body, "auth"), "identity");
  const methods = field(identity, "methods");
  if (!Array.isArray(methods) || !methods.includes("password")) fail(badRequest("auth.identity.methods"));
  const user = findUser(ctx, field(field(identity, "password"), "user"));
  const scoped = scopedProject(ctx, field(field(body, "auth"), "scope"), user);
  const projectId = scoped?.id;
  const issued = ctx.tokens.issue({
    user: user.name,
    domain: user.domain,
    issuedAt: now,
    expiresAt: now + ctx.options.tokenTtlMs,
    ...(projectId ? { projectId } : {}),
  });
  const domain = { id: idOf("domain", user.domain), name: user.domain };
  const token: Record<string, unknown> = {
    methods: ["password"],
    expires_at: iamTime(issued.expiresAt),
    issued_at: iamTime(issued.issuedAt),
    user: { id: idOf("user", `${user.domain}/${user.name}`), name: user.name, domain, password_expires_at: "" },
    ...(scoped ? { project: project(ctx, scoped) } : { domain }),
    roles: [{ id: idOf("role", "te_admin"), name: "te_admin" }],
  };
  if (queryValue(input.query, "nocatalog") === undefined) token.catalog = catalog(ctx, scoped);
  ctx.stats.tokenIssued();
  return { status: 201, body: { token }, headers: { "X-Subject-Token": issued.token } };
}

function listProjects(input: HandlerInput): HttpReply {
  const { ctx } = input;
  const name = queryValue(input.query, "name");
  const projects = ctx.account.projects.filter((p) => name === undefined || p.name === name).map((p) => projectEntry(ctx, p));
  return { status: 200, body: { projects, links: { self: `${ctx.endpoints.iam}/v3/projects`, previous: null, next: null } } };
}

/** `GET /v3/auth/projects`: every project of the account, whatever the caller's token is scoped to. */
function listAuthProjects(input: HandlerInput): HttpReply {
  const { ctx } = input;
  const projects = ctx.account.projects.map((p) => projectEntry(ctx, p));
  return { status: 200, body: { projects, links: { self: `${ctx.endpoints.iam}/v3/auth/projects` } } };
}

export const iamService: ServiceDef = {
  key: "iam",
  router: new Router([
    { method: "POST", pattern: "/v3/auth/tokens", handler: { handler: issueToken, auth: false } },
    { method: "GET", pattern: "/v3/projects", handler: { handler: listProjects, auth: true } },
    { method: "GET", pattern: "/v3/auth/projects", handler: { handler: listAuthProjects, auth: true } },
  ]),
  wrongProject: () => iamError(404, "IAM.0004", "The project does not exist."),
  injectedError: (_ctx, status) => iamError(status, "IAM.0006", "The request failed. Try again later."),
};
