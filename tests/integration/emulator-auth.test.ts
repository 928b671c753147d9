/**
 * Emulator authentication: AK/SK "SDK-HMAC-SHA256" verification (through the client's `akskAuth`,
 * raw undici requests, and the Huawei Cloud SDK's own signer as an independent oracle), IAM project
 * lookup and token scopes, token expiry, and the auth counters.
 */
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { Agent, request } from "undici";
import { createClient, getDdmJob, listDdmJobs, listDdsJobs, listDrsJobs, OtcApiError, type Client } from "../../provider";
import { akskAuth, signRequest, type AkskAuthOptions } from "../../provider/auth/aksk";
import {
  akskAuthenticator,
  DEFAULT_ACCESS_KEY,
  DEFAULT_SECRET_KEY,
  startEmulator,
  type AuthEnv,
  type AuthRequest,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../emulator";
import { TokenStore } from "../../emulator/tokens";

const MINUTE = 60_000;
const TEMP = { accessKey: "TEMPACCESSKEY0002", secretKey: "temp-secret-key-0002", securityToken: "sts-security-token-0002", userName: "temp-user" };
const agent = new Agent({ keepAliveTimeout: 1_000 });
afterAll(() => agent.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function send(url: string, init: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const res = await request(url, { method: init.method ?? "GET", headers: init.headers ?? {}, body: init.body, dispatcher: agent });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, json };
}

interface SignedCall {
  method?: "GET" | "POST";
  body?: unknown;
  /** Headers sent and (when on the signer's allow-list) signed. */
  headers?: Record<string, string>;
  creds?: { accessKey: string; secretKey: string };
  date?: Date;
  /** Changes the request after signing. */
  tamper?: (r: { url: string; headers: Record<string, string>; body: string | undefined }) => void;
}

/** Signs with the provider's signer, then sends with undici (optionally tampered with). */
function signedCall(url: string, emu: RunningEmulator, call: SignedCall = {}): Promise<Reply> {
  const method = call.method ?? "GET";
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const headers: Record<string, string> = { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...call.headers };
  const signed = signRequest(
    { method, url: new URL(url), headers, ...(body !== undefined ? { body } : {}) },
    call.creds ?? { accessKey: DEFAULT_ACCESS_KEY, secretKey: DEFAULT_SECRET_KEY },
    call.date ?? emu.admin.now(),
  );
  const out = { url, headers: { ...headers, "x-sdk-date": signed.sdkDate, authorization: signed.authorization }, body };
  call.tamper?.(out);
  return send(out.url, { method, headers: out.headers, ...(out.body !== undefined ? { body: out.body } : {}) });
}

function expectGateway(r: Reply, status: number, code: string, msg?: RegExp): void {
  expect({ status: r.status, code: r.json?.error_code }).toEqual({ status, code });
  expect(r.json.request_id).toBe(r.headers["x-request-id"]);
  if (msg) expect(r.json.error_msg).toMatch(msg);
}

async function expectApiError(p: Promise<unknown>, status: number, code: string, msg?: RegExp): Promise<OtcApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OtcApiError);
  const api = err as OtcApiError;
  expect({ status: api.status, code: api.apiCode }).toEqual({ status, code });
  if (msg) expect(api.detail).toMatch(msg);
  return api;
}

function useEmulator(opts: EmulatorOptions = {}): () => RunningEmulator {
  let emu: RunningEmulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator(opts);
  });
  afterAll(() => emu?.close());
  return () => emu as RunningEmulator;
}

/** Clients made in a test, closed after it. */
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

type Via = "endpoints" | "gateway";

function akskClient(emu: RunningEmulator, via: Via, auth: Partial<AkskAuthOptions> & { skewMs?: number } = {}): Client {
  const { skewMs = 0, ...rest } = auth;
  const client = createClient({
    projectId: emu.projectId,
    auth: akskAuth({
      accessKey: DEFAULT_ACCESS_KEY,
      secretKey: DEFAULT_SECRET_KEY,
      now: () => new Date(emu.admin.now().getTime() + skewMs),
      ...rest,
    }),
    ...(via === "endpoints" ? { endpoints: emu.endpoints } : { endpoint: emu.gateway }),
    retry: { maxRetries: 0 },
  });
  clients.push(client);
  return client;
}

const ids = (jobs: Array<{ id: string }>): string[] => jobs.map((j) => j.id).sort();

// ---------------------------------------------------------------------------------------------

describe("AK/SK: signed requests through the client", () => {
  const emu = useEmulator({ seed: 11, jobs: 40, accessKeys: [{ accessKey: DEFAULT_ACCESS_KEY, secretKey: DEFAULT_SECRET_KEY }, TEMP] });

  describe.each<[Via, string]>([
    ["endpoints", "without X-Project-Id"],
    ["gateway", "with X-Project-Id"],
  ])("via %s %s", (via, withProject) => {
    const client = (): Client => akskClient(emu(), via, withProject.startsWith("with ") ? { projectId: emu().projectId } : {});

    it("lists DDM, DDS and DRS jobs (DRS: POST with a signed body)", async () => {
      const before = emu().admin.stats().auth.accepted.aksk ?? 0;
      const c = client();
      const ddm = await listDdmJobs(c, { startTime: "29d" });
      expect(ids(ddm.jobs)).toEqual(ids(emu().admin.jobs("ddm")));
      const dds = await listDdsJobs(c, { startTime: "29d" });
      expect(ids(dds.jobs)).toEqual(ids(emu().admin.jobs("dds")));
      const drs = await listDrsJobs(c, { dbUseType: "migration" });
      expect(ids(drs.jobs)).toEqual(ids(emu().admin.jobs("drs").filter((j) => j.db_use_type === "migration")));
      expect(drs.jobs.length).toBeGreaterThan(0);
      expect(emu().admin.stats().auth.accepted.aksk).toBeGreaterThanOrEqual(before + 3);
    });

    it("resolves the project id from its name (GET /v3/projects?name=)", async () => {
      const c = client();
      const r = await c.send({ method: "GET", url: c.url("iam", "/v3/projects", { name: "eu-de" }) }, c.newCall("iam", "listProjects"));
      const projects = (r.json as { projects: unknown[] }).projects;
      expect(projects).toEqual([expect.objectContaining({ id: emu().projectId, name: "eu-de", enabled: true, domain_id: expect.stringMatching(/^[0-9a-f]{32}$/) })]);
      const none = await c.send({ method: "GET", url: c.url("iam", "/v3/projects", { name: "eu-ch2" }) }, c.newCall("iam", "listProjects"));
      expect((none.json as { projects: unknown[] }).projects).toEqual([]);
    });

    it("accepts X-Sdk-Date 14 minutes off either way", async () => {
      for (const skewMs of [-14 * MINUTE, 14 * MINUTE]) {
        const r = await listDdmJobs(akskClient(emu(), via, { skewMs }), { startTime: "1d", maxItems: 1 });
        expect(r.jobs.length).toBeLessThanOrEqual(1);
      }
    });

    it("refuses X-Sdk-Date 16 minutes off either way with 401 APIGW.0301", async () => {
      for (const skewMs of [-16 * MINUTE, 16 * MINUTE]) {
        await expectApiError(listDdmJobs(akskClient(emu(), via, { skewMs }), { startTime: "1d" }), 401, "APIGW.0301", /^Incorrect IAM authentication information: the signature expired$/);
      }
    });

    it("refuses a wrong secret key and an unknown access key with 401 APIGW.0301", async () => {
      await expectApiError(
        listDdsJobs(akskClient(emu(), via, { secretKey: "not-the-secret" }), { startTime: "1d" }),
        401,
        "APIGW.0301",
        /^Incorrect IAM authentication information: verify aksk signature fail$/,
      );
      await expectApiError(
        listDrsJobs(akskClient(emu(), via, { accessKey: "NOSUCHACCESSKEY", secretKey: DEFAULT_SECRET_KEY }), { dbUseType: "sync" }),
        401,
        "APIGW.0301",
        /^Incorrect IAM authentication information: Get secretKey failed,ak not exist$/,
      );
    });

    it("takes a temporary key only with its security token", async () => {
      const ok = await listDdmJobs(akskClient(emu(), via, TEMP), { startTime: "1d" });
      expect(Array.isArray(ok.jobs)).toBe(true);
      const { securityToken: _omit, ...withoutToken } = TEMP;
      void _omit;
      await expectApiError(listDdmJobs(akskClient(emu(), via, withoutToken), { startTime: "1d" }), 401, "APIGW.0301", /security token/);
      await expectApiError(listDdmJobs(akskClient(emu(), via, { ...TEMP, securityToken: "another-token" }), { startTime: "1d" }), 401, "APIGW.0301");
      // A permanent key does not come with a security token.
      await expectApiError(listDdmJobs(akskClient(emu(), via, { securityToken: TEMP.securityToken }), { startTime: "1d" }), 401, "APIGW.0301");
    });

    it("refuses an X-Project-Id other than the emulator's with 403 APIGW.0310", async () => {
      await expectApiError(listDdmJobs(akskClient(emu(), via, { projectId: "f".repeat(32) }), { startTime: "1d" }), 403, "APIGW.0310", /project/i);
    });
  });

  it("counts accepted and rejected calls by method", async () => {
    const before = emu().admin.stats().auth;
    await listDdmJobs(akskClient(emu(), "gateway"), { startTime: "1d", maxItems: 1 });
    await expectApiError(listDdmJobs(akskClient(emu(), "gateway", { secretKey: "x" }), { startTime: "1d" }), 401, "APIGW.0301");
    const tokenClient = createClient({ projectId: emu().projectId, token: emu().token, endpoint: emu().gateway });
    clients.push(tokenClient);
    await listDdmJobs(tokenClient, { startTime: "1d", maxItems: 1 });
    const after = emu().admin.stats().auth;
    expect(after.accepted.aksk).toBe((before.accepted.aksk ?? 0) + 1);
    expect(after.accepted.token).toBe((before.accepted.token ?? 0) + 1);
    expect(after.rejected).toBe(before.rejected + 1);
  });
});

describe("AK/SK: raw requests", () => {
  const emu = useEmulator({ seed: 3, jobs: 5, clock: "manual", now: Date.UTC(2026, 2, 1, 12) });
  const ddmPath = (): string => `/v3/${emu().projectId}/jobs?start_time=${Date.UTC(2026, 1, 28)}&end_time=${Date.UTC(2026, 2, 1)}`;
  const drsPath = (): string => `/v3/${emu().projectId}/jobs`;
  const DRS_BODY = { cur_page: 1, per_page: 10, db_use_type: "migration" };

  it("accepts a signed GET on the service endpoint and through the gateway", async () => {
    expect((await signedCall(`${emu().endpoints.ddm}${ddmPath()}`, emu())).status).toBe(200);
    expect((await signedCall(`${emu().gateway}/ddm${ddmPath()}`, emu())).status).toBe(200);
  });

  it("verifies the path the client signed: through the gateway that includes the /ddm prefix", async () => {
    // Signed for the service path, sent through the gateway: the signature no longer matches.
    const r = await signedCall(`${emu().endpoints.ddm}${ddmPath()}`, emu(), {
      tamper: (req) => {
        req.url = `${emu().gateway}/ddm${ddmPath()}`;
        req.headers.host = new URL(emu().gateway).host;
      },
    });
    expectGateway(r, 401, "APIGW.0301", /^Incorrect IAM authentication information: verify aksk signature fail$/);
  });

  it("accepts a signed POST body and refuses it once the body or query changes", async () => {
    const url = `${emu().gateway}/drs${drsPath()}`;
    expect((await signedCall(url, emu(), { method: "POST", body: DRS_BODY })).status).toBe(200);
    const body = await signedCall(url, emu(), {
      method: "POST",
      body: DRS_BODY,
      tamper: (req) => {
        req.body = JSON.stringify({ ...DRS_BODY, per_page: 11 });
      },
    });
    expectGateway(body, 401, "APIGW.0301", /verify aksk signature fail/);
    const query = await signedCall(`${emu().endpoints.ddm}${ddmPath()}`, emu(), {
      tamper: (req) => {
        req.url += "&limit=5";
      },
    });
    expectGateway(query, 401, "APIGW.0301", /verify aksk signature fail/);
  });

  it("accepts X-Sdk-Content-Sha256 in place of the body hash when it is signed", async () => {
    const r = await signedCall(`${emu().endpoints.drs}${drsPath()}`, emu(), {
      method: "POST",
      body: DRS_BODY,
      headers: { "x-sdk-content-sha256": "UNSIGNED-PAYLOAD" },
    });
    expect(r.status).toBe(200);
  });

  it("refuses a tampered signature, a tampered signed header and a signed header that is missing", async () => {
    const url = `${emu().endpoints.ddm}${ddmPath()}`;
    const flip = await signedCall(url, emu(), {
      tamper: (req) => {
        const last = req.headers.authorization!.slice(-1);
        req.headers.authorization = req.headers.authorization!.slice(0, -1) + (last === "0" ? "1" : "0");
      },
    });
    expectGateway(flip, 401, "APIGW.0301", /verify aksk signature fail/);
    const header = await signedCall(url, emu(), {
      headers: { "content-type": "application/json" },
      tamper: (req) => {
        req.headers["content-type"] = "text/plain";
      },
    });
    expectGateway(header, 401, "APIGW.0301", /verify aksk signature fail/);
    const missing = await signedCall(url, emu(), {
      headers: { "content-type": "application/json" },
      tamper: (req) => {
        delete req.headers["content-type"];
      },
    });
    expectGateway(missing, 401, "APIGW.0301", /verify aksk signature fail/);
  });

  it("requires host and x-sdk-date among SignedHeaders, a well-formed X-Sdk-Date and Authorization", async () => {
    const url = `${emu().endpoints.ddm}${ddmPath()}`;
    const noDate = await signedCall(url, emu(), {
      tamper: (req) => {
        req.headers.authorization = req.headers.authorization!.replace("SignedHeaders=host;x-sdk-date", "SignedHeaders=host");
      },
    });
    expectGateway(noDate, 401, "APIGW.0301", /SignedHeaders must include host and x-sdk-date/);
    const badDate = await signedCall(url, emu(), {
      tamper: (req) => {
        req.headers["x-sdk-date"] = "2026-03-01T12:00:00Z";
      },
    });
    expectGateway(badDate, 401, "APIGW.0301", /X-Sdk-Date/);
    const impossible = await signedCall(url, emu(), {
      tamper: (req) => {
        req.headers["x-sdk-date"] = "20260231T120000Z";
      },
    });
    expectGateway(impossible, 401, "APIGW.0301", /X-Sdk-Date/);
    const garbled = await send(url, { headers: { authorization: "SDK-HMAC-SHA256 Access=EMULATORACCESSKEY0001", "x-sdk-date": "20260301T120000Z" } });
    expectGateway(garbled, 401, "APIGW.0301", /Authorization header is malformed/);
    // Another scheme is not AK/SK: no credentials at all.
    expectGateway(await send(url, { headers: { authorization: "Bearer abc" } }), 401, "APIGW.0301", /decrypt token fail/);
  });

  it("judges X-Sdk-Date on the emulator clock (15 minutes inclusive)", async () => {
    const url = `${emu().endpoints.ddm}${ddmPath()}`;
    const now = emu().admin.now().getTime();
    expect((await signedCall(url, emu(), { date: new Date(now - 15 * MINUTE) })).status).toBe(200);
    expectGateway(await signedCall(url, emu(), { date: new Date(now - 15 * MINUTE - 1_000) }), 401, "APIGW.0301", /the signature expired/);
    expectGateway(await signedCall(url, emu(), { date: new Date(now + 16 * MINUTE) }), 401, "APIGW.0301", /the signature expired/);
    // A request signed now goes stale when the emulator clock moves on.
    const signedNow = new Date(now);
    emu().admin.advance(16 * MINUTE);
    expectGateway(await signedCall(url, emu(), { date: signedNow }), 401, "APIGW.0301", /the signature expired/);
  });

  it("wants a temporary key's security token signed, not only sent", async () => {
    const emu2 = await startEmulator({ jobs: 1, accessKeys: [TEMP] });
    try {
      const url = `${emu2.endpoints.ddm}/v3/${emu2.projectId}/jobs?start_time=${Date.now() - 86_400_000}&end_time=${Date.now()}`;
      const signed = await signedCall(url, emu2, { creds: TEMP, headers: { "x-security-token": TEMP.securityToken } });
      expect(signed.status).toBe(200);
      const unsigned = await signedCall(url, emu2, {
        creds: TEMP,
        tamper: (req) => {
          req.headers["x-security-token"] = TEMP.securityToken;
        },
      });
      expectGateway(unsigned, 401, "APIGW.0301", /verify security token fail/);
      // Only the configured keys are known: the default pair was replaced.
      expectGateway(await signedCall(url, emu2), 401, "APIGW.0301", /ak not exist/);
    } finally {
      await emu2.close();
    }
  });

  it("verifies what the Huawei Cloud SDK signer signs (every header it is handed)", async () => {
    const emu2 = await startEmulator({ jobs: 3 });
    try {
      const credential = new BasicCredentials().withAk(DEFAULT_ACCESS_KEY).withSk(DEFAULT_SECRET_KEY);
      const path = `/drs/v3/${emu2.projectId}/jobs`;
      const data = { cur_page: 1, per_page: 10, db_use_type: "sync", name: "a job, with: odd chars" };
      const headers = AKSKSigner.sign(
        {
          endpoint: `${emu2.gateway}${path}`,
          method: "POST",
          headers: { "Content-Type": "application/json;charset=UTF-8", "X-Project-Id": emu2.projectId, "User-Agent": "huaweicloud-usdk-nodejs/3.0" },
          queryParams: {},
          data,
        },
        credential,
      ) as Record<string, string>;
      expect(headers.Authorization).toMatch(/SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date,/);
      const { host: _host, ...toSend } = headers;
      void _host;
      const r = await send(`${emu2.gateway}${path}`, { method: "POST", headers: toSend, body: JSON.stringify(data) });
      expect(r.status).toBe(200);
      const q = `/ddm/v3/${emu2.projectId}/jobs`;
      const query = { start_time: String(Date.now() - 86_400_000), end_time: String(Date.now()), limit: "10" };
      const get = AKSKSigner.sign({ endpoint: `${emu2.gateway}${q}`, method: "GET", headers: {}, queryParams: query }, credential) as Record<string, string>;
      expect(get.Authorization).toMatch(/^SDK-HMAC-SHA256 Access=EMULATORACCESSKEY0001, SignedHeaders=host;x-sdk-date, Signature=[0-9a-f]{64}$/);
      const { host: _h, ...getHeaders } = get;
      void _h;
      const listed = await send(`${emu2.gateway}${q}?${new URLSearchParams(query).toString()}`, { headers: getHeaders });
      expect(listed.status).toBe(200);
      expect(listed.json.jobs.length).toBeGreaterThan(0);
    } finally {
      await emu2.close();
    }
  });
});

describe("AK/SK verifier: Huawei's worked example", () => {
  it("accepts the published request and signature, and nothing else", () => {
    const req: AuthRequest = {
      service: "ddm",
      method: "GET",
      url: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
      servicePath: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
      headers: {
        "content-type": "application/json",
        host: "service.region.example.com",
        "x-sdk-date": "20191115T033655Z",
        authorization:
          "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
      },
      body: Buffer.alloc(0),
      requestId: "rid",
    };
    const env: AuthEnv = {
      now: Date.UTC(2019, 10, 15, 3, 40),
      projectId: "77b6a44cba5143ab91d13ab9a8ff44fd",
      staticToken: "unused",
      tokens: new TokenStore(),
      accessKeys: [{ accessKey: "QTWAOYTTINDUT2QVKYUC", secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", userName: "example" }],
    };
    expect(akskAuthenticator(req, env)).toEqual({ ok: true, principal: { method: "aksk", projectId: env.projectId, user: "example" } });
    const reject = (change: Partial<AuthRequest>): unknown => akskAuthenticator({ ...req, ...change }, env);
    expect(reject({ url: req.url.replace("limit=2", "limit=3") })).toMatchObject({ ok: false, reply: { status: 401 } });
    expect(reject({ method: "POST" })).toMatchObject({ ok: false, reply: { status: 401 } });
    expect(reject({ body: Buffer.from("{}") })).toMatchObject({ ok: false, reply: { status: 401 } });
    expect(reject({ headers: { ...req.headers, host: "other.example.com" } })).toMatchObject({ ok: false, reply: { status: 401 } });
    expect(reject({ headers: { "x-auth-token": "t" } })).toBeUndefined();
  });
});

describe("IAM: tokens, scopes and project lookup", () => {
  const NOW = Date.UTC(2026, 5, 1, 8);
  const emu = useEmulator({ seed: 2, jobs: 3, clock: "manual", now: NOW, tokenTtlMs: 10 * MINUTE, users: [{ name: "bob", password: "pw", domain: "acme" }] });
  const tokenBody = (scope?: unknown): string =>
    JSON.stringify({ auth: { identity: { methods: ["password"], password: { user: { name: "bob", password: "pw", domain: { name: "acme" } } } }, ...(scope === undefined ? {} : { scope }) } });
  const issue = (scope?: unknown, base = emu().endpoints.iam): Promise<Reply> =>
    send(`${base}/v3/auth/tokens?nocatalog=true`, { method: "POST", headers: { "content-type": "application/json;charset=utf8" }, body: tokenBody(scope) });
  const ddm = (token: string): Promise<Reply> =>
    send(`${emu().endpoints.ddm}/v3/${emu().projectId}/jobs?start_time=${NOW - 86_400_000}&end_time=${NOW}`, { headers: { "x-auth-token": token } });

  it("scopes tokens by project id, by project name, and by domain; counts POST /v3/auth/tokens", async () => {
    emu().admin.reset();
    const byId = await issue({ project: { id: emu().projectId } });
    const byName = await issue({ project: { name: "eu-de" } }, `${emu().gateway}/iam`);
    for (const r of [byId, byName]) {
      expect(r.status).toBe(201);
      expect(r.json.token.project).toMatchObject({ id: emu().projectId, name: "eu-de" });
      expect(r.json.token.expires_at).toBe(new Date(NOW + 10 * MINUTE).toISOString().replace("Z", "000Z"));
      expect((await ddm(r.headers["x-subject-token"] as string)).status).toBe(200);
    }
    const domain = await issue({ domain: { name: "acme" } });
    expect(domain.status).toBe(201);
    expect(domain.json.token.domain).toMatchObject({ name: "acme" });
    expect(domain.json.token).not.toHaveProperty("project");
    const domainToken = domain.headers["x-subject-token"] as string;
    expectGateway(await ddm(domainToken), 401, "APIGW.0301");
    // The domain token still reads IAM: project lookup by name.
    const projects = await send(`${emu().endpoints.iam}/v3/projects?name=eu-de`, { headers: { "x-auth-token": domainToken } });
    expect(projects.json.projects).toEqual([expect.objectContaining({ id: emu().projectId, name: "eu-de", enabled: true })]);
    const stats = emu().admin.stats();
    expect(stats.requests.byRoute["iam POST /v3/auth/tokens"]).toBe(3);
    expect(stats.auth.tokensIssued).toBe(3);
  });

  it("refuses a scope naming another project or domain with Keystone-shaped 401s, a malformed one with 400", async () => {
    const before = emu().admin.stats();
    for (const scope of [{ project: { name: "eu-ch2" } }, { project: { id: "0".repeat(32) } }, { project: { id: "0".repeat(32), name: "eu-de" } }, { domain: { name: "other" } }]) {
      const r = await issue(scope);
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: { code: 401, title: "Unauthorized", message: expect.stringMatching(/scoped (project|domain) was not found/), error_code: "IAM.0001" } });
    }
    for (const scope of [{ project: {} }, { project: { id: 42 } }, { domain: "acme" }, "eu-de"]) {
      const r = await issue(scope);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code: 400, title: "Bad Request", error_code: "IAM.0011" });
    }
    const after = emu().admin.stats();
    expect(after.requests.byRoute["iam POST /v3/auth/tokens"]).toBe((before.requests.byRoute["iam POST /v3/auth/tokens"] ?? 0) + 8);
    expect(after.auth.tokensIssued).toBe(before.auth.tokensIssued);
  });

  it("answers an expired token with 401 APIGW.0307, through the client too", async () => {
    const r = await issue({ project: { name: "eu-de" } });
    const token = r.headers["x-subject-token"] as string;
    expect((await ddm(token)).status).toBe(200);
    emu().admin.advance(10 * MINUTE);
    expectGateway(await ddm(token), 401, "APIGW.0307", /^The token must be updated$/);
    const client = createClient({ projectId: emu().projectId, token, endpoints: emu().endpoints, retry: { maxRetries: 0 } });
    clients.push(client);
    const jobId = emu().admin.jobs("ddm")[0]!.id;
    await expectApiError(getDdmJob(client, jobId), 401, "APIGW.0307", /^The token must be updated$/);
    // AK/SK is unaffected by token lifetimes.
    const signed = akskClient(emu(), "gateway");
    const ok = await signed.send({ method: "GET", url: signed.url("iam", "/v3/projects", { name: "eu-de" }) }, signed.newCall("iam", "listProjects"));
    expect((ok.json as { projects: Array<{ id: string }> }).projects.map((p) => p.id)).toEqual([emu().projectId]);
  });
});
