/**
 * AK/SK verification, APIG scheme "SDK-HMAC-SHA256" (api-spec §8), as the API gateway does it:
 *
 *   Authorization: SDK-HMAC-SHA256 Access={AK}, SignedHeaders={a;b;c}, Signature={hex}
 *
 * The canonical request is rebuilt from the request as received: method, the raw request target
 * (gateway prefix included: that is the path the client signed), the headers named in
 * `SignedHeaders` (`host` from the Host header), and the SHA-256 of the raw body bytes (or the
 * `X-Sdk-Content-Sha256` value). The URL parts are canonicalised with the provider's functions.
 *
 * Checks, in order (every failure is 401 APIGW.0301 unless noted):
 * 1. the header parses and `SignedHeaders` includes `host` and `x-sdk-date`;
 * 2. `X-Sdk-Date` is `YYYYMMDDTHHMMSSZ` and within 15 minutes of the emulator clock (either side);
 * 3. the AK is configured;
 * 4. the signature matches (every signed header must be in the request);
 * 5. a temporary key (configured with `securityToken`) comes with that `X-Security-Token`, signed;
 *    a permanent key comes without one;
 * 6. `X-Project-Id`, when present, is one of the account's projects: otherwise 403 APIGW.0310.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { canonicalHeaderValue, canonicalQueryString, canonicalUri } from "../provider/auth/canonical";
import type { AuthRequest, AuthResult, Authenticator } from "./auth";

export type { EmulatorAccessKey } from "./auth";
import { apigw, gateway, type HttpReply } from "./errors";
import { utcFromMatch } from "./time";

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";
/** The access key accepted by default. */
export const DEFAULT_ACCESS_KEY = "EMULATORACCESSKEY0001";
/** The secret key of {@link DEFAULT_ACCESS_KEY}. */
export const DEFAULT_SECRET_KEY = "emulator-secret-key-0001";
/** How far `X-Sdk-Date` may be from the gateway's clock, either way. */
export const SDK_DATE_WINDOW_MS = 15 * 60_000;


export interface ParsedAuthorization {
  accessKey: string;
  /** Lowercase, in the order given. */
  signedHeaders: string[];
  signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`; undefined when malformed. */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const m = /^SDK-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!m) return undefined;
  const parts = new Map<string, string>();
  for (const part of (m[1] ?? "").split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    const name = part.slice(0, eq).trim();
    if (parts.has(name)) return undefined;
    parts.set(name, part.slice(eq + 1).trim());
  }
  const accessKey = parts.get("Access");
  const signedHeaders = parts.get("SignedHeaders");
  const signature = parts.get("Signature");
  if (parts.size !== 3 || !accessKey || !signedHeaders || !signature) return undefined;
  const names = signedHeaders.split(";").map((n) => n.trim().toLowerCase());
  if (names.some((n) => n === "")) return undefined;
  return { accessKey, signedHeaders: names, signature };
}

/** `YYYYMMDDTHHMMSSZ` (UTC) as epoch ms; undefined when it is not a real time in that form. */
export function parseSdkDate(text: string): number | undefined {
  return utcFromMatch(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text));
}

function headerValue(req: AuthRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/**
 * The canonical request of a received request for the given signed header names (sorted and
 * de-duplicated as the signer does); undefined when a signed header is not in the request.
 */
export function receivedCanonicalRequest(req: AuthRequest, signedHeaders: readonly string[]): string | undefined {
  const q = req.url.indexOf("?");
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const search = q < 0 ? "" : req.url.slice(q + 1);
  const names = [...new Set(signedHeaders.map((n) => n.toLowerCase()))].sort();
  let canonicalHeaders = "";
  for (const name of names) {
    const value = headerValue(req, name);
    if (value === undefined) return undefined;
    canonicalHeaders += `${name}:${canonicalHeaderValue(value)}\n`;
  }
  const contentSha256 = headerValue(req, "x-sdk-content-sha256");
  const payloadHash = contentSha256 !== undefined ? canonicalHeaderValue(contentSha256) : sha256Hex(req.body);
  return [req.method, canonicalUri(path), canonicalQueryString(search), canonicalHeaders, names.join(";"), payloadHash].join("\n");
}

/** hex(HMAC-SHA256(SK, "SDK-HMAC-SHA256\n{date}\n{hex(SHA-256(canonical))}")). */
export function expectedSignature(canonical: string, sdkDate: string, secretKey: string): string {
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
  return createHmac("sha256", secretKey).update(stringToSign, "utf8").digest("hex");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export const akskErrors = {
  malformed: (rid: string): HttpReply => gateway.badToken(rid, "the Authorization header is malformed"),
  signedHeaders: (rid: string): HttpReply => gateway.badToken(rid, "SignedHeaders must include host and x-sdk-date"),
  badDate: (rid: string): HttpReply => gateway.badToken(rid, "the X-Sdk-Date header is missing or not in the form YYYYMMDDTHHMMSSZ"),
  expired: (rid: string): HttpReply => gateway.badToken(rid, "the signature expired"),
  unknownKey: (rid: string): HttpReply => gateway.badToken(rid, "Get secretKey failed,ak not exist"),
  signature: (rid: string): HttpReply => gateway.badToken(rid, "verify aksk signature fail"),
  securityToken: (rid: string): HttpReply => gateway.badToken(rid, "verify security token fail"),
  project: (rid: string): HttpReply => apigw(403, "APIGW.0310", "The project is unavailable", rid),
};

const reject = (reply: HttpReply): AuthResult => ({ ok: false, reply });

/** Claims requests whose `Authorization` starts with `SDK-HMAC-SHA256`. */
export const akskAuthenticator: Authenticator = (req, env) => {
  const authorization = headerValue(req, "authorization");
  if (authorization === undefined || !/^\s*SDK-HMAC-SHA256(\s|$)/.test(authorization)) return undefined;
  const rid = req.requestId;
  const parsed = parseAuthorization(authorization);
  if (!parsed) return reject(akskErrors.malformed(rid));
  if (!parsed.signedHeaders.includes("host") || !parsed.signedHeaders.includes("x-sdk-date")) {
    return reject(akskErrors.signedHeaders(rid));
  }
  const sdkDate = headerValue(req, "x-sdk-date")?.trim() ?? "";
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) return reject(akskErrors.badDate(rid));
  if (Math.abs(env.now - signedAt) > SDK_DATE_WINDOW_MS) return reject(akskErrors.expired(rid));
  const key = env.accessKeys.find((k) => k.accessKey === parsed.accessKey);
  if (!key) return reject(akskErrors.unknownKey(rid));
  const canonical = receivedCanonicalRequest(req, parsed.signedHeaders);
  if (canonical === undefined || !sameText(parsed.signature, expectedSignature(canonical, sdkDate, key.secretKey))) {
    return reject(akskErrors.signature(rid));
  }
  const securityToken = headerValue(req, "x-security-token");
  if (key.securityToken !== undefined) {
    const signed = parsed.signedHeaders.includes("x-security-token");
    if (!signed || securityToken === undefined || !sameText(securityToken.trim(), key.securityToken)) {
      return reject(akskErrors.securityToken(rid));
    }
  } else if (securityToken !== undefined) {
    return reject(akskErrors.securityToken(rid));
  }
  // An access key belongs to the account, not to a project: X-Project-Id picks any of its projects.
  const projectHeader = headerValue(req, "x-project-id")?.trim();
  const inAccount = projectHeader === env.projectId || (projectHeader !== undefined && env.accountProject?.(projectHeader) === true);
  if (projectHeader !== undefined && !inAccount) return reject(akskErrors.project(rid));
  return {
    ok: true,
    principal: { method: "aksk", projectId: projectHeader ?? env.projectId, ...(key.userName !== undefined ? { user: key.userName } : {}) },
  };
};
