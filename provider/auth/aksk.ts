import { createHash, createHmac } from "node:crypto";
import { inspect } from "node:util";
import { ConfigError } from "../errors";
import { canonicalHeaderValue, canonicalQueryString, canonicalUri } from "./canonical";
import type { Authenticator, OutgoingRequest } from "../http/types";

/**
 * AK/SK request signing, APIG scheme "SDK-HMAC-SHA256" (api-spec §8):
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
 *                      SignedHeaders \n hex(SHA-256(body))
 *   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(SHA-256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(SK, StringToSign))
 *   Authorization    = "SDK-HMAC-SHA256 Access={AK}, SignedHeaders={a;b;c}, Signature={hex}"
 */

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";
/** hex(SHA-256("")), the payload hash of a request without a body. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Which headers the signature covers. The gateway rebuilds the canonical request from the header
 * names listed in `SignedHeaders` and requires at least `host;x-sdk-date` (api-spec §8; the
 * published worked example signs just `content-type;host;x-sdk-date`), so the client chooses the
 * set. The HW Node SDK signs every header it sends; we sign this fixed allow-list instead, when
 * present, and never anything else:
 *
 * - `host`, `x-sdk-date`: mandatory (which endpoint; replay window of 15 minutes).
 * - `content-type`: how the body is read; the worked example signs it.
 * - `x-project-id`, `x-domain-id`: which tenant the call acts on.
 * - `x-security-token`: binds the temporary credential to the signature.
 * - `x-sdk-content-sha256`: it replaces the body hash, so it must be covered itself.
 *
 * Everything else (`user-agent`, `accept`, `accept-encoding`, tracing ids, a stale
 * `authorization` left by a previous attempt, whatever the transport or a proxy may add or
 * rewrite) stays out: signing it adds no protection that matters here (TLS protects integrity;
 * the signature binds method, path, query, body, tenant and time) but makes a valid signature
 * break whenever one of those headers changes between signing and sending.
 */
export const SIGNED_HEADER_ALLOW_LIST: readonly string[] = [
  "content-type",
  "host",
  "x-domain-id",
  "x-project-id",
  "x-sdk-content-sha256",
  "x-sdk-date",
  "x-security-token",
];

export interface SigningInput {
  method: string;
  url: URL;
  /** Header names are expected in lowercase; `host` is normally absent (taken from `url.host`). */
  headers: Record<string, string>;
  body?: string;
}

export interface SignedRequest {
  /** Value for the `Authorization` header. */
  authorization: string;
  /** Value for the `X-Sdk-Date` header (`YYYYMMDDTHHMMSSZ`, UTC). */
  sdkDate: string;
  /** Signed header names, lowercase, sorted, `;`-joined. */
  signedHeaders: string;
  canonicalRequest: string;
  stringToSign: string;
}

const sha256Hex = (data: string): string => createHash("sha256").update(data, "utf8").digest("hex");

/** `YYYYMMDDTHHMMSSZ` in UTC, e.g. `20191115T033655Z`. Throws RangeError for an invalid Date. */
export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/** The headers with lowercase names; two names that differ only in case are an error. */
function lowercaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(out, lower)) {
      throw new TypeError(`header "${lower}" is given twice (names differ only in case)`);
    }
    out[lower] = value;
  }
  return out;
}

/** The names from {@link SIGNED_HEADER_ALLOW_LIST} that `headers` carries, plus `host` and `x-sdk-date`. */
export function selectSignedHeaders(headers: Record<string, string>): string[] {
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  present.add("host");
  present.add("x-sdk-date");
  return SIGNED_HEADER_ALLOW_LIST.filter((name) => present.has(name)).sort();
}

/**
 * The canonical request for the given signed header names (lowercased, de-duplicated, sorted).
 * Each signed header's value is read from `headers`, except that `host` defaults to `url.host`
 * (host[:port] exactly as undici sends it); a signed header that is not there is an error. The
 * payload hash is the value of `x-sdk-content-sha256` when that header exists, otherwise the
 * SHA-256 of the body's UTF-8 bytes.
 */
export function canonicalRequest(input: SigningInput & { signedHeaders: string[] }): string {
  const headers = lowercaseHeaders(input.headers);
  const names = [...new Set(input.signedHeaders.map((name) => name.toLowerCase()))].sort();
  let canonicalHeaders = "";
  for (const name of names) {
    const value = name === "host" ? (headers.host ?? input.url.host) : headers[name];
    if (value === undefined) throw new TypeError(`signed header "${name}" is not in the request`);
    canonicalHeaders += `${name}:${canonicalHeaderValue(value)}\n`;
  }
  const contentSha256 = headers["x-sdk-content-sha256"];
  const payloadHash = contentSha256 !== undefined ? canonicalHeaderValue(contentSha256) : sha256Hex(input.body ?? "");
  return [
    input.method,
    canonicalUri(input.url.pathname),
    canonicalQueryString(input.url.search),
    canonicalHeaders,
    names.join(";"),
    payloadHash,
  ].join("\n");
}

/**
 * Signs a request at `date` (pure: nothing is mutated). The `X-Sdk-Date` to send is returned as
 * `sdkDate`; any `x-sdk-date` already in `headers` is ignored in favour of it. Which headers are
 * signed is decided by {@link selectSignedHeaders}.
 */
export function signRequest(input: SigningInput, creds: { accessKey: string; secretKey: string }, date: Date): SignedRequest {
  const sdkDate = formatSdkDate(date);
  const headers = { ...lowercaseHeaders(input.headers), "x-sdk-date": sdkDate };
  const signedHeaderNames = selectSignedHeaders(headers);
  const canonical = canonicalRequest({ ...input, headers, signedHeaders: signedHeaderNames });
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
  const signature = createHmac("sha256", creds.secretKey).update(stringToSign, "utf8").digest("hex");
  const signedHeaders = signedHeaderNames.join(";");
  return {
    authorization: `${SIGNING_ALGORITHM} Access=${creds.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    sdkDate,
    signedHeaders,
    canonicalRequest: canonical,
    stringToSign,
  };
}

export interface AkskAuthOptions {
  accessKey: string;
  secretKey: string;
  /** For temporary AK/SK; sent (and signed) as `X-Security-Token`. */
  securityToken?: string;
  /** Sent (and signed) as `X-Project-Id`. */
  projectId?: string;
  /** Clock for `X-Sdk-Date`; defaults to the system clock. */
  now?: () => Date;
}

/**
 * Signs each attempt with AK/SK: sets `x-sdk-date`, `x-project-id` (when given),
 * `x-security-token` (when given) and `authorization` on the request. It never adds `host`.
 * The secret key and security token live only in this closure; `JSON.stringify` and
 * `util.inspect` show a redacted view.
 */
export function akskAuth(opts: AkskAuthOptions): Authenticator {
  const { accessKey, secretKey, securityToken, projectId } = opts;
  const now = opts.now ?? (() => new Date());
  if (typeof accessKey !== "string" || !/^[^\s,]+$/.test(accessKey)) {
    throw new ConfigError("AK/SK authentication needs an access key without spaces or commas");
  }
  if (typeof secretKey !== "string" || secretKey === "") {
    throw new ConfigError("AK/SK authentication needs a secret key");
  }
  const creds = { accessKey, secretKey };
  const redacted = () => ({ kind: "aksk" as const, accessKey: `${accessKey.slice(0, 4)}…`, secretKey: "[redacted]" });

  return {
    kind: "aksk",
    async authorize(request: OutgoingRequest) {
      if (projectId !== undefined) request.headers["x-project-id"] = projectId;
      if (securityToken !== undefined) request.headers["x-security-token"] = securityToken;
      const signed = signRequest(request, creds, now());
      request.headers["x-sdk-date"] = signed.sdkDate;
      request.headers["authorization"] = signed.authorization;
    },
    /** A rejected signature stays rejected: nothing is cached that a retry could refresh. */
    credentialsRejected: () => false,
    secretValues: () => (securityToken ? [secretKey, securityToken] : [secretKey]),
    toJSON: redacted,
    [inspect.custom]: redacted,
  } as Authenticator;
}
