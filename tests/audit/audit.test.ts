/**
 * The audit across the account: IAM `GET /v3/auth/projects` in the core and the emulator, and
 * `otc-jobs list ... --all-projects [--regions]` run as a user runs it (the built binary), against
 * the emulator and against a proxy that refuses one project as a real gateway does.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, listAccountProjects, listDdmJobs, listDdsJobs, listDrsJobs, regionOfProject } from "../../provider";
import { DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, DEFAULT_USER, startEmulator, type RunningEmulator } from "../../emulator";
import { settleLimited } from "../../cli/audit";
import { assertBuilt, cleanEnv, run } from "../cli/helpers";

let emu: RunningEmulator;

beforeAll(async () => {
  assertBuilt();
  emu = await startEmulator({ seed: 11, jobs: 40 });
});
afterAll(async () => {
  await emu?.close();
});

const akskEnv = (endpoint = emu.gateway): NodeJS.ProcessEnv =>
  cleanEnv({ OTCJOBS_ENDPOINT: endpoint, OS_ACCESS_KEY: DEFAULT_ACCESS_KEY, OS_SECRET_KEY: DEFAULT_SECRET_KEY, OS_PROJECT_ID: emu.projectId });

interface AuditJson {
  projects: Array<{ project: string; projectId: string; region: string; read: boolean; jobs: number | null; byService: Record<string, number> | null; errors: Array<{ service: string | null; message: string }> }>;
  skipped: Array<{ project: string; reason: string }>;
  jobs: Array<Record<string, string>>;
}

describe("IAM GET /v3/auth/projects", () => {
  it("lists the account's projects in two regions, seeded (same seed, same ids), through the core with any credentials", async () => {
    const viaToken = createClient({ endpoint: emu.gateway, token: emu.token, projectId: emu.projectId });
    const viaAksk = createClient({ endpoint: emu.gateway, accessKey: DEFAULT_ACCESS_KEY, secretKey: DEFAULT_SECRET_KEY, projectId: emu.projectId });
    try {
      const projects = await listAccountProjects(viaToken);
      expect(projects.map((p) => [p.name, p.region])).toEqual([
        ["eu-de", "eu-de"],
        ["eu-de_analytics", "eu-de"],
        ["eu-nl", "eu-nl"],
        ["eu-nl_payments", "eu-nl"],
        ["MOS", undefined],
      ]);
      expect(projects[0]!.id).toBe(emu.projectId);
      for (const p of projects) expect(p.id).toMatch(/^[0-9a-f]{32}$/);
      expect(new Set(projects.map((p) => p.id)).size).toBe(5);
      // A sub-project hangs under its region's project.
      expect(projects[1]!.parentId).toBe(projects[0]!.id);
      expect(await listAccountProjects(viaAksk)).toEqual(projects);
      const again = await startEmulator({ seed: 11, jobs: 1 });
      const other = await startEmulator({ seed: 12, jobs: 1 });
      try {
        const ids = async (e: RunningEmulator) => {
          const c = createClient({ endpoint: e.gateway, token: e.token, projectId: e.projectId });
          try {
            return (await listAccountProjects(c)).map((p) => p.id);
          } finally {
            await c.close();
          }
        };
        expect(await ids(again)).toEqual(projects.map((p) => p.id));
        expect((await ids(other)).slice(1)).not.toEqual(projects.map((p) => p.id).slice(1));
      } finally {
        await again.close();
        await other.close();
      }
    } finally {
      await viaToken.close();
      await viaAksk.close();
    }
  });

  it("reads tolerantly: extra fields pass, absent enabled means enabled; a project without a name is a shape error", async () => {
    const replies = [
      { projects: [{ id: "a".repeat(32), name: "eu-de_x", is_domain: false, tags: ["new"] }], links: {} },
      { projects: [{ id: "b".repeat(32) }] },
    ];
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(replies.shift()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const c = createClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: "t", projectId: "c".repeat(32) });
    try {
      expect(await listAccountProjects(c)).toEqual([
        { id: "a".repeat(32), name: "eu-de_x", region: "eu-de", enabled: true, domainId: "", parentId: "", description: "" },
      ]);
      await expect(listAccountProjects(c)).rejects.toMatchObject({ code: "OTCJOBS_RESPONSE_SHAPE", path: "projects[0].name" });
    } finally {
      await c.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it("derives the region from the project name", () => {
    expect(regionOfProject("eu-de")).toBe("eu-de");
    expect(regionOfProject("eu-ch2_prod_db")).toBe("eu-ch2");
    expect(regionOfProject("ap-southeast-1")).toBe("ap-southeast-1");
    expect(regionOfProject("MOS")).toBeUndefined();
    expect(regionOfProject("_eu-de")).toBeUndefined();
  });
});

describe("otc-jobs list --all-projects", () => {
  it("lists every service of every region project with project and region fields, each project its own jobs", async () => {
    const r = await run(["list", "all", "--all-projects", "-o", "json"], { env: akskEnv() });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as AuditJson;
    expect(out.projects.map((p) => [p.project, p.region, p.read])).toEqual([
      ["eu-de", "eu-de", true],
      ["eu-de_analytics", "eu-de", true],
      ["eu-nl", "eu-nl", true],
      ["eu-nl_payments", "eu-nl", true],
    ]);
    expect(out.skipped).toEqual([{ project: "MOS", projectId: expect.stringMatching(/^[0-9a-f]{32}$/), reason: "belongs to no region" }]);
    // Each project's DDM jobs are exactly what the core reads from that project alone.
    for (const p of out.projects) {
      const c = createClient({ endpoint: emu.gateway, accessKey: DEFAULT_ACCESS_KEY, secretKey: DEFAULT_SECRET_KEY, projectId: p.projectId, region: p.region });
      try {
        const [ddm, dds, drs] = await Promise.all([
          listDdmJobs(c, { startTime: "7d" }),
          listDdsJobs(c, { startTime: "7d" }),
          Promise.all((["migration", "sync", "cloudDataGuard"] as const).map((dbUseType) => listDrsJobs(c, { dbUseType }))),
        ]);
        const mine = out.jobs.filter((j) => j.projectId === p.projectId);
        expect(mine.every((j) => j.project === p.project && j.region === p.region)).toBe(true);
        expect(mine.filter((j) => j.service === "ddm").map((j) => j.id).sort()).toEqual(ddm.jobs.map((j) => j.id).sort());
        expect(mine.filter((j) => j.service === "dds").map((j) => j.id).sort()).toEqual(dds.jobs.map((j) => j.id).sort());
        const drsIds = new Set(drs.flatMap((d) => d.jobs.map((j) => j.id)));
        expect(mine.filter((j) => j.service === "drs").every((j) => drsIds.has(j.id!))).toBe(true);
        expect(p.jobs).toBe(mine.length);
        expect(ddm.jobs.length).toBeGreaterThan(0);
      } finally {
        await c.close();
      }
    }
    // Different projects, different jobs.
    const ids = out.jobs.map((j) => `${j.service} ${j.id}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("prints a table with project and region columns and one summary line per project", async () => {
    const r = await run(["list", "ddm", "--all-projects", "--regions", "eu-nl", "--phase", "failed,succeeded"], { env: { ...akskEnv(), COLUMNS: "160" } });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^project\s+region\s+service\s+name\s+status\s+phase\s+created \(UTC\)\s+id$/);
    const summary = lines.findIndex((l) => /^project\s+region\s+project id\s+jobs\s+ddm\s+failed\s+result$/.test(l));
    expect(summary).toBeGreaterThan(0);
    expect(lines[summary + 1]).toMatch(/^eu-nl\s+eu-nl\s+[0-9a-f]{32}\s+\d+\s+\d+\s+\d+\s+ok$/);
    expect(lines[summary + 2]).toMatch(/^eu-nl_payments\s+eu-nl\s+[0-9a-f]{32}\s+\d+\s+\d+\s+\d+\s+ok$/);
    expect(r.stdout).toContain("2 projects in other regions not listed (--regions)");
    for (const row of lines.slice(1, summary - 1)) expect(row).toMatch(/^eu-nl(_payments)?\s+eu-nl\s+ddm\s+\S+\s+\S+\s+(failed|succeeded)\s/);
  });

  it("reaches every project with an IAM user: one token per project", async () => {
    const env = cleanEnv({
      OTCJOBS_ENDPOINT: emu.gateway,
      OS_USERNAME: DEFAULT_USER.name,
      OS_PASSWORD: DEFAULT_USER.password,
      OS_DOMAIN_NAME: DEFAULT_USER.domain,
      OS_REGION_NAME: "eu-de",
    });
    const r = await run(["list", "dds", "--all-projects", "-o", "json"], { env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as AuditJson).projects.every((p) => p.read && (p.jobs ?? 0) > 0)).toBe(true);
  });

  it("checks --regions before any request", async () => {
    const bad = await run(["list", "all", "--all-projects", "--regions", "eu-de,Frankfurt"], { env: cleanEnv() });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--regions.*"Frankfurt" is not a region name/);
    const alone = await run(["list", "all", "--regions", "eu-de"], { env: akskEnv() });
    expect(alone.code).toBe(3);
    expect(alone.stderr).toContain("--regions: applies with --all-projects only");
    const none = await run(["list", "all", "--all-projects", "--regions", "eu-ch2"], { env: akskEnv() });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("No jobs found.");
    expect(none.stdout).toContain("no project in eu-ch2");
  });

  it("reports a project the gateway refuses and still lists the others; exit 4 naming it", async () => {
    const projects = await (async () => {
      const c = createClient({ endpoint: emu.gateway, token: emu.token, projectId: emu.projectId });
      try {
        return await listAccountProjects(c);
      } finally {
        await c.close();
      }
    })();
    const refused = projects.find((p) => p.name === "eu-nl")!;
    const seen = new Set<string>();
    // A gateway in front of the emulator: 403 for every service call into one project, as for a user without a role there.
    const proxy = http.createServer((req, res) => {
      const url = req.url ?? "/";
      const pid = /\/v3(?:\.1)?\/([0-9a-f]{32})\//.exec(url)?.[1];
      if (pid) seen.add(pid);
      if (pid === refused.id) {
        req.resume();
        res.writeHead(403, { "content-type": "application/json", "x-request-id": "proxy-1" });
        res.end(JSON.stringify({ error_code: "APIGW.0302", error_msg: "The IAM user is not authorized to access the API", request_id: "proxy-1" }));
        return;
      }
      const target = new URL(url, emu.gateway);
      const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      // The proxy forwards the Host header it got, so the AK/SK signature (over host) stays valid.
      const r = await run(["list", "all", "--all-projects", "-o", "json"], { env: akskEnv(endpoint) });
      expect(r.code).toBe(4);
      const out = JSON.parse(r.stdout) as AuditJson;
      const byName = Object.fromEntries(out.projects.map((p) => [p.project, p]));
      expect(byName["eu-nl"]!.read).toBe(false);
      expect(byName["eu-nl"]!.errors[0]!.message).toMatch(/HTTP 403 APIGW\.0302/);
      for (const name of ["eu-de", "eu-de_analytics", "eu-nl_payments"]) expect(byName[name]).toMatchObject({ read: true, jobs: expect.any(Number) });
      expect(out.jobs.some((j) => j.project === "eu-nl")).toBe(false);
      expect(out.jobs.some((j) => j.project === "eu-nl_payments")).toBe(true);
      expect(r.stderr).toContain(`otc-jobs: project eu-nl (${refused.id}): `);
      expect(r.stderr).toContain(`otc-jobs: 1 of 4 projects could not be read completely: eu-nl (${refused.id})`);
      expect(seen.size).toBe(4);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it("tells a token user why the other projects fail", async () => {
    const env = cleanEnv({ OTCJOBS_ENDPOINT: emu.gateway, OS_AUTH_TOKEN: emu.token, OS_PROJECT_ID: emu.projectId });
    const r = await run(["list", "ddm", "--all-projects", "--max-items", "1"], { env });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^eu-de\s+eu-de\s+[0-9a-f]{32}\s+\d+\s+\d+\s+\d+\s+ok$/m);
    expect(r.stderr).toContain("hint: a token is scoped to one project");
  });
});

describe("settleLimited", () => {
  it("runs at most `limit` at once, keeps input order and captures rejections", async () => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 11 }, (_, i) => i);
    const results = await settleLimited(items, 3, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      if (i % 4 === 0) throw new Error(`no ${i}`);
      return i * 2;
    });
    expect(peak).toBe(3);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual(
      items.map((i) => (i % 4 === 0 ? `no ${i}` : i * 2)),
    );
    expect(await settleLimited([], 3, async () => 1)).toEqual([]);
  });
});
