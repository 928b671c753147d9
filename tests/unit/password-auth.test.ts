import { passwordAuth } from "../../provider/auth/password";
import type { ApiRequest, ApiResponse } from "../../provider/http";
import { OtcApiError } from "../../provider/errors";

function fakeIam(ttlMs: number, clock: { now: number }) {
  const bodies: unknown[] = [];
  let issued = 0;
  const send = async (req: ApiRequest): Promise<ApiResponse> => {
    bodies.push(req.body);
    issued++;
    await new Promise((r) => setTimeout(r, 5));
    return {
      status: 201,
      headers: { "x-subject-token": `token-${issued}` },
      json: { token: { expires_at: new Date(clock.now + ttlMs).toISOString(), project: { id: "p".repeat(32), name: "eu-de" } } },
    };
  };
  return { send, bodies, issued: () => issued };
}

const base = { userName: "u", password: "pw", domainName: "d", projectName: "eu-de", iamEndpoint: new URL("https://iam.eu-de.otc.t-systems.com/v3") };

describe("passwordAuth", () => {
  it("sends the documented body to {iam}/v3/auth/tokens and shares one request among concurrent callers", async () => {
    const clock = { now: Date.parse("2026-11-23T12:00:00Z") };
    const iam = fakeIam(86_400_000, clock);
    let url = "";
    const auth = passwordAuth({ ...base, send: (req) => ((url = req.url.href), iam.send(req)), now: () => clock.now });
    const headers = await Promise.all(Array.from({ length: 10 }, async () => {
      const r = { method: "GET" as const, url: new URL("https://x"), headers: {} as Record<string, string> };
      await auth.authorize(r);
      return r.headers["x-auth-token"];
    }));
    expect(new Set(headers)).toEqual(new Set(["token-1"]));
    expect(iam.issued()).toBe(1);
    expect(url).toBe("https://iam.eu-de.otc.t-systems.com/v3/auth/tokens?nocatalog=true");
    expect(iam.bodies[0]).toEqual({
      auth: {
        identity: { methods: ["password"], password: { user: { name: "u", password: "pw", domain: { name: "d" } } } },
        scope: { project: { name: "eu-de" } },
      },
    });
    expect(await auth.projectId()).toBe("p".repeat(32));
  });

  it("renews shortly before expires_at, not after", async () => {
    const clock = { now: Date.parse("2026-11-23T12:00:00Z") };
    const iam = fakeIam(3_600_000, clock);
    const auth = passwordAuth({ ...base, send: iam.send, now: () => clock.now, refreshMarginMs: 300_000 });
    const req = () => ({ method: "GET" as const, url: new URL("https://x"), headers: {} as Record<string, string> });
    await auth.authorize(req());
    clock.now += 3_600_000 - 300_001; // just inside the margin's edge: still valid
    await auth.authorize(req());
    expect(iam.issued()).toBe(1);
    clock.now += 2; // inside the margin: renew
    await auth.authorize(req());
    expect(iam.issued()).toBe(2);
  });

  it("drops a rejected token so the next attempt re-authenticates", async () => {
    const clock = { now: Date.now() };
    const iam = fakeIam(86_400_000, clock);
    const auth = passwordAuth({ ...base, send: iam.send, now: () => clock.now });
    const r = { method: "GET" as const, url: new URL("https://x"), headers: {} as Record<string, string> };
    await auth.authorize(r);
    const rejected = new OtcApiError({ service: "ddm", operation: "ListJobs", status: 401, apiCode: "APIGW.0307", message: "The token must be updated", retryable: false });
    expect(auth.credentialsRejected!(rejected)).toBe(true);
    await auth.authorize(r);
    expect(r.headers["x-auth-token"]).toBe("token-2");
    expect(JSON.stringify(auth)).not.toContain("pw\"");
  });
});
