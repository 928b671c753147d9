/** What a service module provides to the server: its routes and its error bodies. */
import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorContext } from "../context";
import type { HttpReply } from "../errors";
import type { ServiceKey } from "../names";
import type { Router } from "../router";

export interface HandlerInput {
  ctx: EmulatorContext;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  headers: IncomingHttpHeaders;
  requestId: string;
  /** Emulator time of this request, epoch ms. */
  now: number;
}

export type Handler = (input: HandlerInput) => HttpReply;

export interface RouteSpec {
  handler: Handler;
  /** Needs an authenticated caller (every service route but IAM's token issue). */
  auth: boolean;
}

export interface ServiceDef {
  key: ServiceKey;
  router: Router<RouteSpec>;
  /** The reply when the path's project_id is not the emulator's. */
  wrongProject(ctx: EmulatorContext, projectId: string): HttpReply;
  /** The body of an injected 4xx status that has no gateway meaning (not 401/404/429). */
  injectedError(ctx: EmulatorContext, status: number): HttpReply;
}

/** The first value of a query parameter; empty counts as absent. */
export function queryValue(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name);
  return v === null || v === "" ? undefined : v;
}

/** Parses a non-negative decimal integer; undefined when the text is not one. */
export function parseNonNegativeInt(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
