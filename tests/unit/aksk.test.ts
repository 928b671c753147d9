import { createHash } from "node:crypto";
import { inspect } from "node:util";
import fc from "fast-check";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import {
  akskAuth,
  canonicalRequest,
  EMPTY_BODY_SHA256,
  formatSdkDate,
  selectSignedHeaders,
  signRequest,
  type SigningInput,
} from "../../provider/auth/aksk";
import { canonicalQueryString, canonicalUri, percentEncode } from "../../provider/auth/canonical";
import type { OutgoingRequest } from "../../provider/http/types";
import { ConfigError } from "../../provider/errors";

// Huawei's published worked example (api-spec §8).
const EX_AK = "QTWAOYTTINDUT2QVKYUC";
const EX_SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const EX_DATE = new Date("2019-11-15T03:36:55Z");
const EX_URL = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0";
const EX_SIGNATURE = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";

const AK = "HPUAEXAMPLEACCESSKEY";
const SK = "sEcReT/kEy+With=Symbols0123456789abcdef";
const TOKEN = "gQpzZWN1cml0eS10b2tlbi1zZWNyZXQtdmFsdWU=";
const PROJECT = "0123456789abcdef0123456789abcdef";
const CREDS = { accessKey: AK, secretKey: SK };
const DATE = new Date("2026-03-04T05:06:07.890Z");

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("worked example from the Huawei signing guide", () => {
  const expectedCanonical = [
    "GET",
    "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
    "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
    "content-type:application/json",
    "host:service.region.example.com",
    "x-sdk-date:20191115T033655Z",
    "",
    "content-type;host;x-sdk-date",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  ].join("\n");

  it("builds the canonical request byte for byte and hashes it to b25362e6…cd7a", () => {
    const canonical = canonicalRequest({
      method: "GET",
      url: new URL(EX_URL),
      headers: { "content-type": "application/json", "x-sdk-date": "20191115T033655Z" },
      signedHeaders: ["x-sdk-date", "host", "content-type"],
    });
    expect(canonical).toBe(expectedCanonical);
    expect(sha256(canonical)).toBe("b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
  });

  it("signs it to 7be66680…6ebe with the documented Authorization header", () => {
    const signed = signRequest(
      { method: "GET", url: new URL(EX_URL), headers: { "content-type": "application/json" } },
      { accessKey: EX_AK, secretKey: EX_SK },
      EX_DATE,
    );
    expect(signed.sdkDate).toBe("20191115T033655Z");
    expect(signed.canonicalRequest).toBe(expectedCanonical);
    expect(signed.signedHeaders).toBe("content-type;host;x-sdk-date");
    expect(signed.stringToSign).toBe(
      "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
    );
    expect(signed.authorization).toBe(
      `SDK-HMAC-SHA256 Access=${EX_AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=${EX_SIGNATURE}`,
    );
  });

  it("still reproduces when the request carries headers outside the allow-list", () => {
    const signed = signRequest(
      {
        method: "GET",
        url: new URL(EX_URL),
        headers: { "content-type": "application/json", accept: "application/json", "user-agent": "otc-jobs/0.1.0" },
      },
      { accessKey: EX_AK, secretKey: EX_SK },
      EX_DATE,
    );
    expect(signed.authorization.endsWith(`Signature=${EX_SIGNATURE}`)).toBe(true);
  });

  it("matches the guide's hash without content-type (0e84e785…fe18), so content-type is signed there", () => {
    const signed = signRequest({ method: "GET", url: new URL(EX_URL), headers: {} }, { accessKey: EX_AK, secretKey: EX_SK }, EX_DATE);
    expect(signed.signedHeaders).toBe("host;x-sdk-date");
    const hash = sha256(signed.canonicalRequest);
    expect(hash.startsWith("0e84e785")).toBe(true);
    expect(hash.endsWith("fe18")).toBe(true);
  });
});

describe("canonical parts", () => {
  it("formats X-Sdk-Date as YYYYMMDDTHHMMSSZ in UTC, dropping milliseconds", () => {
    expect(formatSdkDate(new Date("2026-03-04T05:06:07.890Z"))).toBe("20260304T050607Z");
    expect(formatSdkDate(new Date("2026-12-31T23:59:59.999+02:00"))).toBe("20261231T215959Z");
    expect(() => formatSdkDate(new Date(NaN))).toThrow(RangeError);
  });

  it("encodes each path segment once, however the URL was escaped, and appends / only for signing", () => {
    const forms = ["https://h/v1/a b/ü/漢字/x", "https://h/v1/a%20b/%C3%BC/%E6%BC%A2%E5%AD%97/x", "https://h/v1/a%20b/%c3%bc/%e6%bc%a2%e5%ad%97/x"];
    for (const href of forms) {
      const url = new URL(href);
      expect(canonicalUri(url.pathname)).toBe("/v1/a%20b/%C3%BC/%E6%BC%A2%E5%AD%97/x/");
      expect(url.pathname.endsWith("/x")).toBe(true); // the URL itself is not touched
    }
    expect(canonicalUri(new URL("https://h/v1/jobs/").pathname)).toBe("/v1/jobs/");
    expect(canonicalUri(new URL("https://h").pathname)).toBe("/");
    expect(canonicalUri("")).toBe("/");
    // Sub-delimiters WHATWG leaves alone are encoded; '+' in a path is a literal plus.
    expect(canonicalUri(new URL("https://h/a+b/it's(1)*!:@;=$,~").pathname)).toBe("/a%2Bb/it%27s%281%29%2A%21%3A%40%3B%3D%24%2C~/");
    // An encoded slash stays inside its segment; a stray '%' and invalid UTF-8 do not throw.
    expect(canonicalUri("/a%2Fb/c")).toBe("/a%2Fb/c/");
    expect(canonicalUri("/100%/%zz/%FF")).toBe("/100%25/%25zz/%FF/");
  });

  it("sorts the query by decoded name then value and encodes per RFC 3986", () => {
    const url = new URL("https://h/p");
    url.searchParams.append("z", "a b");
    url.searchParams.append("a", "1+1=2");
    url.searchParams.append("a", "/x&y");
    url.searchParams.append("ü", "漢");
    url.searchParams.append("e", "");
    url.searchParams.append("a", "-_.~");
    expect(url.search).toContain("z=a+b"); // URLSearchParams writes spaces as '+'
    expect(canonicalQueryString(url.search)).toBe("a=-_.~&a=%2Fx%26y&a=1%2B1%3D2&e=&z=a%20b&%C3%BC=%E6%BC%A2");
    expect(canonicalQueryString("?b&a=&c=1&&")).toBe("a=&b=&c=1");
    expect(canonicalQueryString("q=a+b&r=a%20b&s=a%2Bb")).toBe("q=a%20b&r=a%20b&s=a%2Bb");
    expect(canonicalQueryString("")).toBe("");
    expect(canonicalQueryString("?")).toBe("");
    // Raw order, not encoded order: '1' < '@' raw, but '%40' < '1' encoded.
    expect(canonicalQueryString("v=%40&v=1")).toBe("v=1&v=%40");
    expect(percentEncode("aZ09-_.~ ü/")).toBe("aZ09-_.~%20%C3%BC%2F");
  });

  it("signs the allow-listed headers plus host and x-sdk-date, trimming values", () => {
    const headers = {
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "otc-jobs/0.1.0",
      "x-auth-token": "not-for-aksk",
      authorization: "stale from a previous attempt",
      "x-project-id": `  ${PROJECT}\t`,
      "x-domain-id": "d0",
      "x-security-token": TOKEN,
      "x-request-id": "r-1",
    };
    expect(selectSignedHeaders(headers)).toEqual(["content-type", "host", "x-domain-id", "x-project-id", "x-sdk-date", "x-security-token"]);
    const signed = signRequest({ method: "GET", url: new URL("https://h.example.com:8443/v3/x"), headers }, CREDS, DATE);
    expect(signed.signedHeaders).toBe("content-type;host;x-domain-id;x-project-id;x-sdk-date;x-security-token");
    expect(signed.canonicalRequest).toContain(`\nhost:h.example.com:8443\n`);
    expect(signed.canonicalRequest).toContain(`\nx-project-id:${PROJECT}\n`);
    expect(signed.canonicalRequest).not.toMatch(/user-agent|accept|x-auth-token|authorization|x-request-id/);
    // The default port is dropped, exactly as undici's Host header does.
    const defaultPort = signRequest({ method: "GET", url: new URL("https://h.example.com:443/v3/x"), headers: {} }, CREDS, DATE);
    expect(defaultPort.canonicalRequest).toContain(`\nhost:h.example.com\n`);
  });

  it("hashes the body, or uses X-Sdk-Content-Sha256 (which is then signed) instead", () => {
    const url = new URL("https://h/v3/p/jobs");
    const body = JSON.stringify({ name: "ä job", n: 1 });
    const post = signRequest({ method: "POST", url, headers: { "content-type": "application/json" }, body }, CREDS, DATE);
    expect(post.canonicalRequest.endsWith(`\n${sha256(body)}`)).toBe(true);
    const empty = signRequest({ method: "GET", url, headers: {} }, CREDS, DATE);
    expect(empty.canonicalRequest.endsWith(`\n${EMPTY_BODY_SHA256}`)).toBe(true);
    expect(signRequest({ method: "POST", url, headers: {}, body: "" }, CREDS, DATE).canonicalRequest).toBe(
      empty.canonicalRequest.replace(/^GET/, "POST"),
    );
    const unsigned = signRequest({ method: "POST", url, headers: { "x-sdk-content-sha256": "UNSIGNED-PAYLOAD" }, body: "raw" }, CREDS, DATE);
    expect(unsigned.canonicalRequest.endsWith("\nUNSIGNED-PAYLOAD")).toBe(true);
    expect(unsigned.signedHeaders).toBe("host;x-sdk-content-sha256;x-sdk-date");
  });

  it("is pure: the input is not mutated, and a stale x-sdk-date in it is ignored", () => {
    const headers = { "content-type": "application/json", "x-sdk-date": "19990101T000000Z" };
    const input = { method: "GET", url: new URL("https://h/v3/p?b=2&a=1"), headers };
    const before = JSON.stringify({ ...input, url: input.url.href });
    const a = signRequest(input, CREDS, DATE);
    expect(JSON.stringify({ ...input, url: input.url.href })).toBe(before);
    const b = signRequest({ ...input, headers: { "content-type": "application/json" } }, CREDS, DATE);
    expect(a).toEqual(b);
    expect(a.sdkDate).toBe("20260304T050607Z");
  });

  it("rejects headers whose names collide ignoring case, and signed headers that are absent", () => {
    expect(() => signRequest({ method: "GET", url: new URL("https://h/"), headers: { "content-type": "a", "Content-Type": "b" } }, CREDS, DATE)).toThrow(
      /given twice/,
    );
    expect(() => canonicalRequest({ method: "GET", url: new URL("https://h/"), headers: {}, signedHeaders: ["host", "x-sdk-date"] })).toThrow(
      /"x-sdk-date" is not in the request/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Independent oracle: the Huawei Cloud Node SDK's own signer (huaweicloud-sdk-core AKSKSigner),
// used only at test time. Differences in how it is driven, so that it signs the same thing:
// - It signs every header it is handed, adding host and X-Sdk-Date itself; we hand it exactly the
//   headers we sign (values trimmed), minus those two.
// - It reads the path from `endpoint` and expects it unencoded (its HcClient splices raw path
//   parameters into the URL), so we give it the decoded path. Query parameters go in
//   `queryParams` (decoded; repeated names as arrays), the body as parsed JSON in `data` (it hashes
//   JSON.stringify(data)). It reads X-Sdk-Content-Sha256 only under that exact spelling.
// - Its clock is moment(), i.e. Date, which jest's fake timers control.
// ---------------------------------------------------------------------------------------------

type SdkSignerStatics = { buildCanonicalRequest: (...parts: string[]) => string };

interface OracleOptions {
  /** Headers handed to the SDK instead of the ones we sign. */
  headers?: Record<string, string>;
  /** `endpoint` handed to the SDK instead of origin + decoded path. */
  endpoint?: string;
  /** `data` handed to the SDK instead of JSON.parse(body). */
  data?: unknown;
}

function hwSign(input: SigningInput, creds: { accessKey: string; secretKey: string }, date: Date, options: OracleOptions = {}) {
  const ours = signRequest(input, creds, date);
  let headers = options.headers;
  if (headers === undefined) {
    headers = {};
    for (const name of ours.signedHeaders.split(";")) {
      if (name === "host" || name === "x-sdk-date") continue;
      const value = input.headers[name]!.trim();
      headers[name === "x-sdk-content-sha256" ? "X-Sdk-Content-Sha256" : name] = value;
    }
  }
  const queryParams: Record<string, string | string[]> = {};
  for (const [name, value] of input.url.searchParams) {
    const prev = queryParams[name];
    queryParams[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  const rawPath = input.url.pathname
    .split("/")
    .map((s) => decodeURIComponent(s))
    .join("/");
  const data = "data" in options ? options.data : input.body === undefined || input.body === "" ? undefined : JSON.parse(input.body);
  const credential = new BasicCredentials().withAk(creds.accessKey).withSk(creds.secretKey);
  const spy = jest.spyOn(AKSKSigner as unknown as SdkSignerStatics, "buildCanonicalRequest");
  jest.useFakeTimers({ now: date });
  try {
    const out = AKSKSigner.sign(
      { endpoint: options.endpoint ?? `${input.url.origin}${rawPath}`, method: input.method, headers, queryParams, data },
      credential,
    ) as Record<string, string>;
    const canonical = spy.mock.results[0]!.value as string;
    return { ours, sdk: { authorization: out.Authorization!, sdkDate: out["X-Sdk-Date"]!, canonicalRequest: canonical } };
  } finally {
    jest.useRealTimers();
    spy.mockRestore();
  }
}

function expectSameAsSdk(input: SigningInput, creds = CREDS, date = DATE) {
  const { ours, sdk } = hwSign(input, creds, date);
  expect(sdk.canonicalRequest).toBe(ours.canonicalRequest);
  expect(sdk.sdkDate).toBe(ours.sdkDate);
  expect(sdk.authorization).toBe(ours.authorization);
  return ours;
}

function withQuery(base: string, pairs: Array<[string, string]>): URL {
  const url = new URL(base);
  for (const [k, v] of pairs) url.searchParams.append(k, v);
  return url;
}

describe("agrees with the Huawei Cloud SDK signer (oracle)", () => {
  const JSON_CT = { "content-type": "application/json" };

  it("reproduces the worked example through the SDK too", () => {
    const ours = expectSameAsSdk({ method: "GET", url: new URL(EX_URL), headers: JSON_CT }, { accessKey: EX_AK, secretKey: EX_SK }, EX_DATE);
    expect(ours.authorization.endsWith(EX_SIGNATURE)).toBe(true);
  });

  const cases: Array<[string, SigningInput]> = [
    ["GET without trailing slash", { method: "GET", url: new URL(`https://ddm.eu-de.otc.t-systems.com/v3/${PROJECT}/jobs?limit=10&offset=0`), headers: JSON_CT }],
    ["GET with trailing slash", { method: "GET", url: new URL(`https://ddm.eu-de.otc.t-systems.com/v3/${PROJECT}/instances/`), headers: JSON_CT }],
    ["GET of the root path", { method: "GET", url: new URL("https://h.example.com/"), headers: {} }],
    ["non-default port", { method: "GET", url: new URL("http://127.0.0.1:8443/v3/p/jobs"), headers: JSON_CT }],
    [
      "query values with space, +, /, =, & and unicode",
      {
        method: "GET",
        url: withQuery("https://h.example.com/v3/p/jobs", [
          ["name", "my job"],
          ["expr", "1+1=2"],
          ["path", "a/b"],
          ["amp", "x&y"],
          ["umlaut", "grüß"],
          ["kanji", "漢字"],
          ["emoji", "😀"],
          ["start_time", "2026-03-01T00:00:00+0100"],
        ]),
        headers: JSON_CT,
      },
    ],
    ["query with spaces written as %20", { method: "GET", url: new URL("https://h.example.com/v3/p?name=my%20job&x=%C3%BC"), headers: {} }],
    ["repeated and unsorted keys", { method: "GET", url: new URL("https://h.example.com/v3/p?z=1&b=2&a=3&b=1&a=10&a=2&m="), headers: JSON_CT }],
    ["empty values and a bare name", { method: "GET", url: new URL("https://h.example.com/v3/p?b=&a&c=1&d="), headers: {} }],
    ["names that sort differently raw and encoded", { method: "GET", url: withQuery("https://h/v3", [["a~", "1"], ["aü", "2"], ["a.", "3"], ["a/", "4"], ["v", "@"], ["v", "1"], ["a_", "5"], ["a{", "6"]]), headers: {} }],
    ["unicode path segments", { method: "GET", url: new URL(`https://h.example.com/v3/${encodeURIComponent("grüß")}/${encodeURIComponent("漢字")}/jobs`), headers: {} }],
    ["sub-delimiters and + in the path", { method: "GET", url: new URL("https://h.example.com/v3/a+b/c=d;e,f/(g)!*:@$"), headers: {} }],
    [
      "POST with a JSON body",
      {
        method: "POST",
        url: new URL(`https://drs.eu-de.otc.t-systems.com/v3/${PROJECT}/jobs/batch-status`),
        headers: { "content-type": "application/json;charset=UTF-8", "x-project-id": PROJECT },
        body: JSON.stringify({ jobs: ["a1b2", "c3d4"], note: "grüß 漢字 😀" }),
      },
    ],
    [
      "x-project-id, x-security-token and x-domain-id",
      {
        method: "GET",
        url: new URL(`https://dds.eu-de.otc.t-systems.com/v3/${PROJECT}/jobs?id=j-1`),
        headers: { "content-type": "application/json", "x-project-id": PROJECT, "x-security-token": TOKEN, "x-domain-id": "dom0" },
      },
    ],
    [
      "headers outside the allow-list are left out on both sides",
      {
        method: "GET",
        url: new URL("https://h.example.com/v3/p"),
        headers: { "content-type": "application/json", "user-agent": "otc-jobs/0.1.0", accept: "application/json", "x-project-id": ` ${PROJECT} ` },
      },
    ],
  ];

  it.each(cases)("%s", (_name, input) => {
    expectSameAsSdk(input);
  });

  it("X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD replaces the body hash", () => {
    const input: SigningInput = {
      method: "POST",
      url: new URL("https://h.example.com/v3/p/upload"),
      headers: { "content-type": "text/plain", "x-sdk-content-sha256": "UNSIGNED-PAYLOAD" },
      body: "not json",
    };
    const { ours, sdk } = hwSign(input, CREDS, DATE, { data: "not json" });
    expect(ours.canonicalRequest.endsWith("\nUNSIGNED-PAYLOAD")).toBe(true);
    expect(sdk.canonicalRequest).toBe(ours.canonicalRequest);
    expect(sdk.authorization).toBe(ours.authorization);
  });

  it("another clock, another signature, still the same as the SDK", () => {
    const input: SigningInput = { method: "GET", url: new URL("https://h.example.com/v3/p/jobs"), headers: JSON_CT };
    const later = expectSameAsSdk(input, CREDS, new Date("2030-12-31T23:59:59.999Z"));
    expect(later.sdkDate).toBe("20301231T235959Z");
    expect(later.authorization).not.toBe(signRequest(input, CREDS, DATE).authorization);
  });

  it("random paths, queries and bodies (property test)", () => {
    // Characters the SDK's url.parse passes through untouched (no space, quotes, <>, \, ^, `, {|}),
    // and BMP characters below U+D800 plus astral ones, whose UTF-16 and code point orders agree.
    const pathChar = fc.constantFrom(..."aZ09-_.~!$&()*+,;=:@üé漢字😀".match(/./gu)!);
    const queryChar = fc.constantFrom(..."aAzZ09-_.~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}üé漢字😀".match(/./gu)!);
    const segment = fc.string({ unit: pathChar, minLength: 1, maxLength: 6 }).filter((s) => s !== "." && s !== "..");
    const pair = fc.tuple(fc.string({ unit: queryChar, maxLength: 5 }), fc.string({ unit: queryChar, maxLength: 6 }));
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 4 }),
        fc.boolean(),
        fc.array(pair, { maxLength: 6 }),
        fc.option(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ unit: queryChar, maxLength: 8 })), { nil: undefined }),
        fc.option(fc.string({ unit: fc.constantFrom(..."abc123-"), minLength: 1, maxLength: 8 }), { nil: undefined }),
        fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true }),
        (segments, trailingSlash, pairs, bodyObject, token, date) => {
          const path = `/${segments.map(encodeURIComponent).join("/")}${trailingSlash && segments.length > 0 ? "/" : ""}`;
          const url = withQuery(`https://svc.example.com${path}`, pairs);
          const headers: Record<string, string> = { "content-type": "application/json", "x-project-id": PROJECT };
          if (token !== undefined) headers["x-security-token"] = token;
          const input: SigningInput = bodyObject === undefined ? { method: "GET", url, headers } : { method: "POST", url, headers, body: JSON.stringify(bodyObject) };
          const { ours, sdk } = hwSign(input, CREDS, date);
          expect(sdk.canonicalRequest).toBe(ours.canonicalRequest);
          expect(sdk.authorization).toBe(ours.authorization);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("where the SDK signer differs (genuine divergences, kept visible)", () => {
  // 1. Path escaping. The SDK percent-encodes the path it gets without decoding it first, and
  //    Node's legacy url.parse (which it uses) has already escaped a space or a quote to %20/%27,
  //    so a raw path parameter with a space signs as %2520 although it goes out as %20; an
  //    already-encoded path is encoded twice. We decode each segment first (api-spec §8: the
  //    gateway sees one encoding), so `a b`, `a%20b` sign alike.
  it("the SDK double-encodes a space in the path; we do not", () => {
    const input: SigningInput = { method: "GET", url: new URL("https://h.example.com/v3/my job/x"), headers: {} };
    const { ours, sdk } = hwSign(input, CREDS, DATE);
    expect(ours.canonicalRequest.split("\n")[1]).toBe("/v3/my%20job/x/");
    expect(sdk.canonicalRequest.split("\n")[1]).toBe("/v3/my%2520job/x/");
    const preEncoded = hwSign({ ...input, url: new URL("https://h.example.com/v3/gr%C3%BC%C3%9F/") }, CREDS, DATE, {
      endpoint: "https://h.example.com/v3/gr%C3%BC%C3%9F/",
    });
    expect(preEncoded.ours.canonicalRequest.split("\n")[1]).toBe("/v3/gr%C3%BC%C3%9F/");
    expect(preEncoded.sdk.canonicalRequest.split("\n")[1]).toBe("/v3/gr%25C3%25BC%25C3%259F/");
  });

  // 2. Header values: the SDK signs them untrimmed; HTTP strips leading/trailing whitespace on the
  //    wire (RFC 9110 §5.5), so the gateway can only see the trimmed value, which is what we sign.
  it("the SDK does not trim header values; we do", () => {
    const input: SigningInput = { method: "GET", url: new URL("https://h.example.com/v3"), headers: { "x-project-id": ` ${PROJECT}\t` } };
    const { ours, sdk } = hwSign(input, CREDS, DATE, { headers: { "x-project-id": ` ${PROJECT}\t` } });
    expect(ours.canonicalRequest).toContain(`\nx-project-id:${PROJECT}\n`);
    expect(sdk.canonicalRequest).toContain(`\nx-project-id: ${PROJECT}\t\n`);
  });

  // 3. Query order: the SDK sorts with Array.prototype.sort (UTF-16 code units); we compare UTF-8
  //    bytes (= code points, the order of Go's sort.Strings and Python's sorted). They disagree only
  //    when an astral character (emoji) meets one in U+E000–U+FFFF at the same position.
  it("the SDK orders an emoji before U+FF01 (UTF-16); we order by code point", () => {
    const input: SigningInput = { method: "GET", url: withQuery("https://h.example.com/v3", [["\u{1F600}", "1"], ["\uFF01", "2"]]), headers: {} };
    const { ours, sdk } = hwSign(input, CREDS, DATE);
    expect(ours.canonicalRequest.split("\n")[2]).toBe("%EF%BC%81=2&%F0%9F%98%80=1");
    expect(sdk.canonicalRequest.split("\n")[2]).toBe("%F0%9F%98%80=1&%EF%BC%81=2");
  });

  // 4. Not an algorithm difference but a policy one: handed the full header map, the SDK signs
  //    every header (user-agent, accept, ...). We sign the allow-list only (see aksk.ts).
  it("the SDK signs every header it is given; we sign the allow-list", () => {
    const headers = { "content-type": "application/json", accept: "application/json", "user-agent": "otc-jobs/0.1.0" };
    const { ours, sdk } = hwSign({ method: "GET", url: new URL("https://h.example.com/v3"), headers }, CREDS, DATE, { headers });
    expect(ours.signedHeaders).toBe("content-type;host;x-sdk-date");
    expect(sdk.authorization).toContain("SignedHeaders=accept;content-type;host;user-agent;x-sdk-date,");
  });
});

describe("akskAuth", () => {
  const request = (): OutgoingRequest => ({
    method: "GET",
    url: new URL(`https://ddm.eu-de.otc.t-systems.com/v3/${PROJECT}/jobs?limit=5`),
    headers: { "content-type": "application/json", accept: "application/json", "user-agent": "otc-jobs/0.1.0" },
  });

  it("sets x-sdk-date, x-project-id, x-security-token and authorization, never host", async () => {
    const auth = akskAuth({ accessKey: AK, secretKey: SK, securityToken: TOKEN, projectId: PROJECT, now: () => DATE });
    expect(auth.kind).toBe("aksk");
    const req = request();
    await auth.authorize(req);
    expect(req.headers["x-sdk-date"]).toBe("20260304T050607Z");
    expect(req.headers["x-project-id"]).toBe(PROJECT);
    expect(req.headers["x-security-token"]).toBe(TOKEN);
    expect(req.headers).not.toHaveProperty("host");
    const expected = signRequest({ ...request(), headers: { ...request().headers, "x-project-id": PROJECT, "x-security-token": TOKEN } }, CREDS, DATE);
    expect(req.headers.authorization).toBe(expected.authorization);
    expect(req.headers.authorization).toMatch(
      new RegExp(`^SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}$`),
    );
    // The SDK, given the same headers, signs the same request identically.
    expect(hwSign({ ...req }, CREDS, DATE).sdk.authorization).toBe(req.headers.authorization);
  });

  it("omits x-project-id and x-security-token when not configured", async () => {
    const auth = akskAuth({ accessKey: AK, secretKey: SK, now: () => DATE });
    const req = request();
    await auth.authorize(req);
    expect(req.headers).not.toHaveProperty("x-project-id");
    expect(req.headers).not.toHaveProperty("x-security-token");
    expect(req.headers.authorization).toContain("SignedHeaders=content-type;host;x-sdk-date,");
  });

  it("is deterministic for a given clock, and re-signs a retried request from scratch", async () => {
    let now = DATE;
    const auth = akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT, now: () => now });
    const a = request();
    const b = request();
    await auth.authorize(a);
    await auth.authorize(b);
    expect(a.headers).toEqual(b.headers);

    now = new Date(DATE.getTime() + 61_000);
    const first = a.headers.authorization;
    await auth.authorize(a); // the same object again, now carrying the previous attempt's headers
    expect(a.headers["x-sdk-date"]).toBe("20260304T050708Z");
    expect(a.headers.authorization).not.toBe(first);
    const fresh = request();
    await auth.authorize(fresh);
    expect(a.headers).toEqual(fresh.headers);
  });

  it("uses the system clock by default", async () => {
    const auth = akskAuth({ accessKey: AK, secretKey: SK });
    const req = request();
    const before = formatSdkDate(new Date(Date.now() - 1000));
    await auth.authorize(req);
    const after = formatSdkDate(new Date(Date.now() + 1000));
    expect(req.headers["x-sdk-date"]! >= before && req.headers["x-sdk-date"]! <= after).toBe(true);
  });

  it("never reveals the secret key or security token", () => {
    const auth = akskAuth({ accessKey: AK, secretKey: SK, securityToken: TOKEN, projectId: PROJECT });
    expect(JSON.parse(JSON.stringify(auth))).toEqual({ kind: "aksk", accessKey: "HPUA…", secretKey: "[redacted]" });
    const views = [
      JSON.stringify(auth),
      JSON.stringify({ client: { auth } }),
      inspect(auth),
      inspect(auth, { showHidden: true, depth: Infinity, getters: true }),
      inspect(auth, { customInspect: false, showHidden: true, depth: Infinity, getters: true }),
      inspect({ client: { auth } }, { depth: Infinity }),
      String(auth),
      `${Object.keys(auth).join(",")}`,
    ];
    for (const view of views) {
      expect(view).not.toContain(SK);
      expect(view).not.toContain(TOKEN);
      expect(view).not.toContain(SK.slice(0, 8));
    }
    expect(inspect(auth)).toContain("[redacted]");
  });

  it("says a rejected signature cannot be fixed by retrying", () => {
    const auth = akskAuth({ accessKey: AK, secretKey: SK });
    expect(auth.credentialsRejected?.({} as never)).toBe(false);
  });

  it("refuses an empty or malformed access key and an empty secret key", () => {
    expect(() => akskAuth({ accessKey: "", secretKey: SK })).toThrow(ConfigError);
    expect(() => akskAuth({ accessKey: "AK WITH SPACE", secretKey: SK })).toThrow(ConfigError);
    expect(() => akskAuth({ accessKey: "AK,X", secretKey: SK })).toThrow(ConfigError);
    expect(() => akskAuth({ accessKey: AK, secretKey: "" })).toThrow(ConfigError);
  });
});
