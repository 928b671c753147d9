/**
 * `otc-jobs report`: run as a user runs it (the built binary) against the emulator, with job names and
 * reasons that try to become markup, and behind a gateway that refuses one service.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, startEmulator, type RunningEmulator } from "../../emulator";
import { buildReport, daysBetween, groupReasons, type ReportJob } from "../../cli/report/data";
import { escapeHtml, html, niceStep, raw, renderHtml } from "../../cli/report/html";
import { assertBuilt, cleanEnv, run } from "../cli/helpers";

let emu: RunningEmulator;
const HOSTILE_NAME = `<script>alert("name")</script>`;
const HOSTILE_REASON = `<img src=x onerror=alert(1)> & "quoted" 'single'`;

beforeAll(async () => {
  assertBuilt();
  emu = await startEmulator({ seed: 5, jobs: 60 });
  const day = 86_400_000;
  const now = emu.admin.now().getTime();
  emu.admin.addJob("ddm", { name: HOSTILE_NAME, createdAt: now - 3 * day, timeline: { runForMs: 0, outcome: "Failed", failReason: HOSTILE_REASON } });
  emu.admin.addJob("drs", { name: `DRS-"><svg onload=alert(2)>`, dbUseType: "migration", createdAt: now - 2 * day, timeline: { runForMs: 0, outcome: "Failed", failReason: "</td></tr></table><h1>x</h1>" } });
});
afterAll(async () => {
  await emu?.close();
});

const env = (endpoint = emu.gateway): NodeJS.ProcessEnv =>
  cleanEnv({ OTCJOBS_ENDPOINT: endpoint, OS_ACCESS_KEY: DEFAULT_ACCESS_KEY, OS_SECRET_KEY: DEFAULT_SECRET_KEY, OS_PROJECT_ID: emu.projectId });

interface ReportJson {
  window: { start: string; end: string };
  total: number;
  byPhase: Record<string, number>;
  byService: Record<string, { total: number; byPhase: Record<string, number> }>;
  days: Array<{ date: string; jobs: number; failed: Record<string, number> }>;
  failed: Array<Record<string, string>>;
  gaps: string[];
  projects?: Array<{ project: string; read: boolean }>;
}

/** What an offline page must not contain: scripts, handlers, anything fetched. */
function assertSelfContained(page: string): void {
  expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
  expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<(img|iframe|object|embed|link|audio|video|source)\b/i);
  // Cloud text is escaped, so every "<" left starts a tag made here: check their attributes.
  const tags = page.match(/<[a-z][^>]*>/gi) ?? [];
  for (const tag of tags) {
    expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(tag).not.toMatch(/\s(src|href|xlink:href|action|srcset|background|poster)\s*=/i);
  }
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
  expect(style).not.toMatch(/url\(|@import|@font-face/i);
  expect(tags.join("")).not.toMatch(/https?:\/\//i);
  expect(page.trimEnd().endsWith("</html>")).toBe(true);
}

describe("otc-jobs report", () => {
  it("writes one self-contained page whose numbers are the JSON report's, with every cloud text escaped", async () => {
    const [page, json, list] = await Promise.all([
      run(["report", "--since", "30d", "-o", "html"], { env: env() }),
      run(["report", "--since", "30d", "-o", "json"], { env: env() }),
      run(["list", "all", "--since", "30d", "-o", "json"], { env: env() }),
    ]);
    expect([page.code, json.code, list.code]).toEqual([0, 0, 0]);
    expect(page.stderr).toBe("");
    const data = JSON.parse(json.stdout) as ReportJson;
    const jobs = JSON.parse(list.stdout) as Array<{ service: string; phase: string }>;
    // The report counts exactly what `list` lists.
    expect(data.total).toBe(jobs.length);
    for (const s of ["ddm", "dds", "drs"]) expect(data.byService[s]!.total).toBe(jobs.filter((j) => j.service === s).length);
    expect(data.byPhase.failed).toBe(jobs.filter((j) => j.phase === "failed").length);
    expect(data.days).toHaveLength(31);
    expect(data.days.reduce((n, d) => n + d.jobs, 0)).toBe(data.total);
    expect(data.failed).toHaveLength(data.byPhase.failed!);

    const p = page.stdout;
    assertSelfContained(p);
    expect(p).toContain(escapeHtml(HOSTILE_NAME));
    expect(p).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; &#39;single&#39;");
    expect(p).toContain("DRS-&quot;&gt;&lt;svg onload=alert(2)&gt;");
    expect(p).toContain("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h1&gt;x&lt;/h1&gt;");
    expect(p).not.toContain("<h1>x</h1>");
    expect(p).toContain(`Failed jobs (${data.byPhase.failed})`);
    // The chart: one bar per service and day with failures, each titled with its count.
    const bars = [...p.matchAll(/<title>(\d{4}-\d{2}-\d{2}): (\d+) (DDM|DDS|DRS) failed<\/title>/g)];
    const fromBars: Record<string, number> = {};
    for (const [, date, n, service] of bars) fromBars[`${date} ${service!.toLowerCase()}`] = Number(n);
    const fromData: Record<string, number> = {};
    for (const d of data.days) for (const [s, n] of Object.entries(d.failed)) if (n > 0) fromData[`${d.date} ${s}`] = n;
    expect(fromBars).toEqual(fromData);
    expect(bars.reduce((n, b) => n + Number(b[2]), 0)).toBe(data.byPhase.failed);
    // Every failed job is a row, with its full id.
    for (const f of data.failed) expect(p).toContain(`<td class="id">${f.id}</td>`);
  });

  it("--out writes the file; --all-projects adds a project table and project columns", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "otc-report-")), "r.html");
    const r = await run(["report", "--since", "14d", "--all-projects", "--regions", "eu-de,eu-nl", "--out", file], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^otc-jobs: wrote .*r\.html \(\d+ jobs, \d+ failed\)\n$/);
    const p = readFileSync(file, "utf8");
    assertSelfContained(p);
    expect(p).toContain("4 projects in eu-de, eu-nl");
    for (const name of ["eu-de_analytics", "eu-nl_payments"]) expect(p).toContain(`<td>${name}</td>`);
    expect(p).toContain("<th>project</th>");
  });

  it("says on the page and in the exit code what could not be read", async () => {
    const proxy = http.createServer((req, res) => {
      if ((req.url ?? "").startsWith("/dds/")) {
        req.resume();
        res.writeHead(403, { "content-type": "application/json" });
        res.end(JSON.stringify({ error_code: "APIGW.0302", error_msg: "The IAM user is not authorized to access the API" }));
        return;
      }
      const upstream = http.request(new URL(req.url ?? "/", emu.gateway), { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const r = await run(["report", "--since", "30d"], { env: env(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`) });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/DDS: .*HTTP 403 APIGW\.0302/);
      assertSelfContained(r.stdout);
      expect(r.stdout).toContain("Incomplete: not everything could be read.");
      expect(r.stdout).toMatch(/<li>DDS could not be read: .*APIGW\.0302/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it("refuses a window DDM cannot serve before any request", async () => {
    const r = await run(["report", "--since", "45d"], { env: cleanEnv({ OTCJOBS_ENDPOINT: "http://127.0.0.1:9", OS_AUTH_TOKEN: "t", OS_PROJECT_ID: "0".repeat(32) }) });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--since.*30/);
  });
});

describe("report pieces", () => {
  const job = (over: Partial<ReportJob>): ReportJob => ({
    service: "ddm", id: "i", name: "n", status: "Failed", phase: "failed", created: "2026-11-02T10:00:00.000Z", ended: "",
    progress: "", instanceId: "", instanceName: "", dbUseType: "", failReason: "", ...over,
  });

  it("escapes every interpolation unless it is markup made here", () => {
    expect(html`<td>${`<b>"x"&'y'</b>`}</td>`.value).toBe("<td>&lt;b&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/b&gt;</td>");
    expect(html`<p>${raw("<b>ok</b>")}${["<i>", raw("<i>")]}${undefined}${false}${0}</p>`.value).toBe("<p><b>ok</b>&lt;i&gt;<i>0</p>");
  });

  it("counts days in UTC, both ends included; jobs outside count in totals only", () => {
    expect(daysBetween("2026-11-01T23:30:00Z", "2026-11-03T00:10:00Z")).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(daysBetween("bad", "2026-11-03T00:10:00Z")).toEqual([]);
    const d = buildReport({
      jobs: [job({}), job({ service: "drs", id: "j" }), job({ phase: "succeeded", id: "k" }), job({ created: "", id: "l" })],
      window: { start: "2026-11-01T00:00:00Z", end: "2026-11-03T00:00:00Z" },
      generatedAt: new Date("2026-11-03T00:00:00Z"),
      scope: "s",
      gaps: [],
    });
    expect(d.days.map((x) => [x.date, x.jobs, x.failed.ddm, x.failed.drs])).toEqual([["2026-11-01", 0, 0, 0], ["2026-11-02", 3, 1, 1], ["2026-11-03", 0, 0, 0]]);
    expect(d.total).toBe(4);
    expect(d.failureRate).toBeCloseTo(3 / 4);
    expect(renderHtml(d, { version: "9" })).toContain("Failed jobs (3)");
  });

  it("groups failure reasons by count, then recency", () => {
    const r = groupReasons([
      job({ failReason: "disk full ", created: "2026-11-01T00:00:00Z" }),
      job({ failReason: "disk full", service: "dds", created: "2026-11-05T00:00:00Z" }),
      job({ failReason: "", created: "2026-11-06T00:00:00Z" }),
      job({ failReason: "timeout", created: "2026-11-07T00:00:00Z" }),
    ]);
    expect(r.map((g) => [g.reason, g.count, g.services.join("+")])).toEqual([["disk full", 2, "ddm+dds"], ["timeout", 1, "ddm"], ["", 1, "ddm"]]);
  });

  it("picks round axis steps", () => {
    expect([1, 4, 7, 10, 23, 90, 480].map((m) => niceStep(m))).toEqual([1, 1, 2, 5, 10, 50, 200]);
  });
});
