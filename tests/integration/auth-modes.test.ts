import { inspect } from "node:util";
import {
  clientFromConfig,
  ConfigError,
  createClient,
  listDdmJobs,
  listDdsJobs,
  listDrsJobs,
  OtcApiError,
  type RequestLogEvent,
} from "../../provider";
import { DEFAULT_USER, startEmulator, type RunningEmulator } from "../../emulator";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 3, jobs: 300, tokenTtlMs: 3_600_000 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

const tokenRequests = () => emu.admin.stats().requests.byRoute["iam POST /v3/auth/tokens"] ?? 0;
const user = () => ({ userName: DEFAULT_USER.name, password: DEFAULT_USER.password, domainName: DEFAULT_USER.domain });

describe("IAM password authentication", () => {
  it("gets one token for many concurrent calls, scoped by project name, and resolves the project id from it", async () => {
    const client = createClient({ ...user(), projectName: "eu-de", endpoint: emu.gateway });
    const results = await Promise.all([
      listDdmJobs(client, { startTime: "29d" }),
      listDdsJobs(client, { startTime: "29d" }),
      listDrsJobs(client, { dbUseType: "migration" }),
      listDrsJobs(client, { dbUseType: "sync" }),
      listDdmJobs(client, { startTime: "1d" }),
    ]);
    expect(results[0].jobs.length).toBe(300);
    expect(tokenRequests()).toBe(1);
    expect(await client.projectId()).toBe(emu.projectId);
    await client.close();
  });

  it("reuses the cached token across calls", async () => {
    const client = createClient({ ...user(), projectId: emu.projectId, endpoint: emu.gateway });
    await listDdmJobs(client);
    await listDdmJobs(client);
    expect(tokenRequests()).toBe(1);
    await client.close();
  });

  it("re-authenticates once when the cloud says the token must be updated", async () => {
    // Its own emulator: the clock moves an hour, which would make other tests' signatures stale.
    const own = await startEmulator({ seed: 4, jobs: 20, tokenTtlMs: 3_600_000 });
    const log: RequestLogEvent[] = [];
    const client = createClient({ ...user(), projectId: own.projectId, endpoint: own.gateway, logger: (e) => log.push(e) });
    await listDdmJobs(client);
    // Past the token's expiry on the cloud's clock; our cache still believes it is valid.
    own.admin.advance(3_700_000);
    log.length = 0;
    expect((await listDdmJobs(client)).jobs.length).toBeGreaterThan(0);
    expect(log.map((e) => `${e.service} ${e.status} ${e.error ?? ""}`.trim())).toEqual([
      "ddm 401 APIGW.0307",
      "iam 201",
      "ddm 200",
    ]);
    expect(own.admin.stats().requests.byRoute["iam POST /v3/auth/tokens"]).toBe(2);
    await client.close();
    await own.close();
  });

  it("fails with IAM's error, without the password, when the password is wrong", async () => {
    const log: RequestLogEvent[] = [];
    const client = createClient({ ...user(), password: "wrong-pa55word", projectId: emu.projectId, endpoint: emu.gateway, logger: (e) => log.push(e) });
    const err = (await listDdmJobs(client).catch((e: unknown) => e)) as OtcApiError;
    expect(err).toBeInstanceOf(OtcApiError);
    expect(err).toMatchObject({ service: "iam", operation: "CreateToken", status: 401 });
    expect(err.message).not.toContain("wrong-pa55word");
    expect(JSON.stringify(log)).not.toContain("wrong-pa55word");
    await client.close();
  });
});

describe("a given token", () => {
  it("resolves a project name through IAM", async () => {
    const client = createClient({ token: emu.token, projectName: "eu-de", endpoint: emu.gateway });
    expect(await client.projectId()).toBe(emu.projectId);
    expect((await listDdsJobs(client, { maxItems: 3 })).jobs).toHaveLength(3);
    await client.close();
  });

  it("reports an unknown project name clearly", async () => {
    const client = createClient({ token: emu.token, projectName: "eu-xx", endpoint: emu.gateway });
    await expect(client.projectId()).rejects.toThrow(ConfigError);
    await expect(client.projectId()).rejects.toThrow('project "eu-xx" not found in IAM');
    await client.close();
  });
});

describe("configuration from the environment", () => {
  it("runs each auth mode end to end from env variables alone", async () => {
    const base = { OTCJOBS_ENDPOINT: emu.gateway, OS_PROJECT_NAME: "eu-de" };
    const envs = [
      { ...base, OS_AUTH_TOKEN: emu.token },
      { ...base, OS_USERNAME: DEFAULT_USER.name, OS_PASSWORD: DEFAULT_USER.password, OS_DOMAIN_NAME: DEFAULT_USER.domain },
      { ...base, OS_ACCESS_KEY: "EMULATORACCESSKEY0001", OS_SECRET_KEY: "emulator-secret-key-0001" },
    ];
    for (const env of envs) {
      const client = clientFromConfig({ env, cloudsYamlPaths: [] });
      const r = await listDrsJobs(client, { dbUseType: "migration", maxItems: 5 });
      expect(r.jobs).toHaveLength(5);
      await client.close();
    }
  });
});

describe("no secret escapes", () => {
  const SECRETS = {
    password: "pw-SECRET-1",
    secretKey: "sk-SECRET-2",
    token: "tk-SECRET-3",
    securityToken: "st-SECRET-4",
  };

  it("in errors, logs, JSON or inspection, across failure paths", async () => {
    const texts: string[] = [];
    const logger = (e: RequestLogEvent) => texts.push(JSON.stringify(e));
    const attempts = [
      { token: SECRETS.token, projectId: emu.projectId, endpoint: emu.gateway },
      { accessKey: "AKUNKNOWN", secretKey: SECRETS.secretKey, securityToken: SECRETS.securityToken, projectId: emu.projectId, endpoint: emu.gateway },
      { userName: "nobody", password: SECRETS.password, domainName: "d", projectId: emu.projectId, endpoint: emu.gateway },
      // Unreachable endpoint: network errors.
      { token: SECRETS.token, projectId: emu.projectId, endpoint: "http://127.0.0.1:9" },
    ];
    for (const opts of attempts) {
      const client = createClient({ ...opts, logger, retry: { maxRetries: 1, baseDelayMs: 1 } });
      texts.push(JSON.stringify(client), inspect(client, { depth: 20 }), String(client));
      for (const call of [() => listDdmJobs(client), () => listDrsJobs(client, { dbUseType: "sync" })]) {
        const err = await call().then(() => new Error("unexpected success"), (e: Error) => e);
        texts.push(err.message, String(err.stack), JSON.stringify(err), inspect(err, { depth: 20 }));
      }
      await client.close();
    }
    // Incomplete configurations.
    for (const env of [{ OS_PASSWORD: SECRETS.password }, { OS_SECRET_KEY: SECRETS.secretKey }]) {
      try {
        clientFromConfig({ env, cloudsYamlPaths: [] });
      } catch (e) {
        texts.push((e as Error).message);
      }
    }
    const all = texts.join("\n");
    expect(texts.length).toBeGreaterThan(30);
    for (const secret of Object.values(SECRETS)) expect(all).not.toContain(secret);
  });
});
