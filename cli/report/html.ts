/**
 * The report as one self-contained HTML page: inline CSS and SVG, system fonts, no script, and a
 * Content-Security-Policy that forbids every fetch, so the page shows the same offline, in a mail
 * attachment or in a wiki. Every value from the cloud goes through `html` (a tagged template that
 * escapes what it interpolates), so a job name cannot become markup.
 */
import { type ReportData, type ReportJob, REPORT_PHASES, REPORT_SERVICES, type ReportService } from "./data";

/** Markup that is already safe: only `html` and `raw` make one. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Trusted markup (built here, never from cloud text). */
export const raw = (value: string): Markup => new Markup(value);

function piece(v: unknown): string {
  if (v instanceof Markup) return v.value;
  if (Array.isArray(v)) return v.map(piece).join("");
  if (v === undefined || v === null || v === false) return "";
  return escapeHtml(String(v));
}

/** A template whose interpolations are escaped unless they are `Markup`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += piece(v) + (strings[i + 1] ?? "");
  });
  return new Markup(out);
}

const SERVICE_COLORS: Record<ReportService, string> = { ddm: "#3b6ea5", dds: "#e08a2c", drs: "#2f9c8f" };
const PHASE_COLORS: Record<string, string> = {
  pending: "#6366a8",
  running: "#2b7bb9",
  waiting: "#c98a00",
  succeeded: "#2e8540",
  failed: "#c62828",
  canceled: "#7a7a7a",
  unknown: "#8e44ad",
};
/** Rows of a table beyond this are counted, not shown (the JSON output has them all). */
export const MAX_ROWS = 200;

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1d2330;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","DejaVu Sans",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:28px 32px 40px}
header{display:flex;justify-content:space-between;align-items:flex-end;border-bottom:2px solid #1d2330;padding-bottom:12px;margin-bottom:20px}
h1{font-size:22px;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:15px;margin:0 0 10px;text-transform:uppercase;letter-spacing:.06em;color:#4a5263}
.sub{color:#4a5263;font-size:13px}
.meta{text-align:right;color:#4a5263;font-size:12px}
section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:16px 18px;margin-bottom:16px}
.kpis{display:grid;grid-template-columns:repeat(5,1fr);gap:12px;margin-bottom:16px}
.kpi{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:12px 14px;border-top:4px solid #8a93a6}
.kpi b{display:block;font-size:26px;line-height:1.1;font-variant-numeric:tabular-nums}
.kpi span{color:#4a5263;font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.kpi small{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:#4a5263;font-size:12px;margin-top:2px}
.kpi.bad{border-top-color:#c62828}.kpi.warn{border-top-color:#c98a00}.kpi.ok{border-top-color:#2e8540}.kpi.run{border-top-color:#2b7bb9}
.gaps{background:#fff4f4;border:1px solid #e4a5a5;border-left:5px solid #c62828;border-radius:6px;padding:10px 14px;margin-bottom:16px}
.gaps ul{margin:4px 0 0;padding-left:18px}
.grid2{display:grid;grid-template-columns:2fr 3fr;gap:16px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6e9ef;vertical-align:top}
th{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#4a5263;border-bottom:2px solid #c9ceda;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;border-top:2px solid #c9ceda}
td.id{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:11.5px;color:#4a5263;white-space:nowrap}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums}
td.reason{color:#8b1c1c;width:40%;overflow-wrap:anywhere}
td small{display:block;color:#6b7385;font-size:11.5px}
.grid2>section{min-width:0}
.chip{display:inline-block;padding:0 7px;border-radius:9px;font-size:11px;font-weight:600;color:#fff;white-space:nowrap}
.svc{display:inline-block;padding:0 6px;border-radius:3px;font-size:11px;font-weight:700;color:#fff;text-transform:uppercase}
.legend{display:flex;gap:14px;font-size:12px;color:#4a5263;margin:2px 0 6px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.zero{color:#b3b9c6}
.more{color:#4a5263;font-size:12px;margin:8px 0 0}
footer{color:#6b7385;font-size:12px;text-align:center;margin-top:20px}
svg text{font-family:inherit}
@media print{body{background:#fff}section,.kpi{break-inside:avoid}}
`;

const fmtTime = (iso: string): string => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso || "-");
const pct = (x: number): string => (Number.isNaN(x) ? "-" : `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`);

function chip(phase: string): Markup {
  return html`<span class="chip" style="background:${raw(PHASE_COLORS[phase] ?? "#7a7a7a")}">${phase}</span>`;
}

function svc(service: string): Markup {
  return html`<span class="svc" style="background:${raw(SERVICE_COLORS[service as ReportService] ?? "#7a7a7a")}">${service}</span>`;
}

/** A step of 1, 2 or 5 x 10^k that splits `max` into about `parts` intervals. */
export function niceStep(max: number, parts = 4): number {
  if (max <= parts) return 1;
  const rough = max / parts;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

interface BarSeries {
  key: string;
  color: string;
  values: number[];
  label: string;
}

/** Stacked bars per day with a y axis, gridlines and date labels; every bar carries a `<title>` tooltip. */
export function barChart(days: string[], series: BarSeries[], opts: { width: number; height: number; title: string; unit: string }): Markup {
  const { width, height } = opts;
  const m = { top: 10, right: 12, bottom: 26, left: 36 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const totals = days.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const step = niceStep(Math.max(1, ...totals));
  const top = Math.max(step, Math.ceil(Math.max(1, ...totals) / step) * step);
  const y = (v: number): number => m.top + plotH - (v / top) * plotH;
  const slot = days.length ? plotW / days.length : plotW;
  const barW = Math.max(2, Math.min(28, slot * 0.72));
  const parts: string[] = [];
  for (let v = 0; v <= top; v += step) {
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${yy}" y2="${yy}" stroke="${v === 0 ? "#8a93a6" : "#e6e9ef"}" stroke-width="1"/>`);
    parts.push(`<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#6b7385">${v}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(44 / slot));
  days.forEach((day, i) => {
    const x = m.left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      const y1 = y(base + v);
      const h = y(base) - y1;
      parts.push(
        html`<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${raw(s.color)}"><title>${day}: ${v} ${s.label} ${opts.unit}</title></rect>`.value,
      );
      base += v;
    }
    if (totals[i]! > 0 && barW >= 10) {
      parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(y(totals[i]!) - 3).toFixed(1)}" text-anchor="middle" font-size="10" fill="#4a5263">${totals[i]}</text>`);
    }
    if (i % labelEvery === 0 || i === days.length - 1) {
      parts.push(html`<text x="${(m.left + i * slot + slot / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle" font-size="10.5" fill="#6b7385">${day.slice(5)}</text>`.value);
    }
  });
  return raw(
    `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(opts.title)}">${parts.join("")}</svg>`,
  );
}

function legend(series: Array<{ label: string; color: string }>): Markup {
  return html`<div class="legend">${series.map((s) => html`<span><i style="background:${raw(s.color)}"></i>${s.label}</span>`)}</div>`;
}

function num(n: number): Markup {
  return n === 0 ? html`<td class="n zero">0</td>` : html`<td class="n">${n}</td>`;
}

function phaseTable(d: ReportData): Markup {
  const phases = REPORT_PHASES.filter((p) => p !== "unknown" || d.byPhase.unknown > 0);
  return html`<table>
<thead><tr><th>phase</th>${REPORT_SERVICES.map((s) => html`<th class="n">${svc(s)}</th>`)}<th class="n">all</th></tr></thead>
<tbody>
${phases.map((p) => html`<tr><td>${chip(p)}</td>${REPORT_SERVICES.map((s) => num(d.byService[s].byPhase[p]))}<td class="n"><b>${d.byPhase[p]}</b></td></tr>\n`)}
<tr class="total"><td>total</td>${REPORT_SERVICES.map((s) => num(d.byService[s].total))}<td class="n">${d.total}</td></tr>
</tbody></table>`;
}

function jobRows(jobs: ReportJob[], withProject: boolean, reason: boolean): Markup {
  const shown = jobs.slice(0, MAX_ROWS);
  const ended = (j: ReportJob): string => (!j.ended ? "-" : j.ended.slice(0, 10) === j.created.slice(0, 10) ? fmtTime(j.ended).slice(11) : fmtTime(j.ended));
  return html`<table>
<thead><tr><th>created / ended (UTC)</th><th>service</th>${withProject ? html`<th>project</th>` : ""}<th>task / status</th><th>id</th>${reason ? html`<th>reason</th>` : html`<th>instance</th>`}</tr></thead>
<tbody>
${shown.map(
  (j) => html`<tr><td class="t">${fmtTime(j.created)}<small>${j.ended ? `ended ${ended(j)}` : ""}</small></td><td>${svc(j.service)}</td>${
    withProject ? html`<td>${j.project ?? ""}<small>${j.region ?? ""}</small></td>` : ""
  }<td>${j.name}<small>${j.status}</small></td><td class="id">${j.id}</td>${
    reason ? html`<td class="reason">${j.failReason || "(no reason given)"}</td>` : html`<td>${j.instanceName || j.instanceId || "-"}</td>`
  }</tr>\n`,
)}
</tbody></table>${jobs.length > shown.length ? html`<p class="more">and ${jobs.length - shown.length} more (otc-jobs report -o json lists every one)</p>` : ""}`;
}

function reasonTable(d: ReportData): Markup {
  const top = d.reasons.slice(0, 8);
  if (!top.length) return html`<p>No failed jobs in this window.</p>`;
  return html`<table>
<thead><tr><th class="n">jobs</th><th>reason</th><th>services</th><th>last (UTC)</th></tr></thead>
<tbody>${top.map(
    (r) => html`<tr><td class="n"><b>${r.count}</b></td><td class="reason">${r.reason || "(no reason given)"}</td><td>${r.services.map((s) => html`${svc(s)} `)}</td><td class="t">${fmtTime(r.last)}</td></tr>`,
  )}</tbody></table>${d.reasons.length > top.length ? html`<p class="more">and ${d.reasons.length - top.length} more reasons</p>` : ""}`;
}

function projectTable(projects: NonNullable<ReportData["projects"]>): Markup {
  return html`<table>
<thead><tr><th>project</th><th>region</th><th class="n">jobs</th><th class="n">failed</th><th>read</th></tr></thead>
<tbody>${projects.map(
    (p) => html`<tr><td>${p.project}</td><td>${p.region}</td><td class="n">${p.jobs}</td>${num(p.failed)}<td>${p.read ? "yes" : html`<b style="color:#c62828">no</b>`}</td></tr>`,
  )}</tbody></table>`;
}

export function renderHtml(d: ReportData, meta: { version: string }): string {
  const days = d.days.map((x) => x.date);
  const failSeries = REPORT_SERVICES.map((s) => ({ key: s, color: SERVICE_COLORS[s], label: s.toUpperCase(), values: d.days.map((x) => x.failed[s]) }));
  const failChart = barChart(days, failSeries, { width: 1040, height: 210, title: "Failed jobs per day by service", unit: "failed" });
  const jobChart = barChart(days, [{ key: "jobs", color: "#9aa6bd", label: "jobs", values: d.days.map((x) => x.jobs) }], {
    width: 1040,
    height: 110,
    title: "Jobs created per day",
    unit: "created",
  });
  const finished = d.byPhase.succeeded + d.byPhase.failed + d.byPhase.canceled;
  const active = d.byPhase.running + d.byPhase.pending;
  const withProject = Boolean(d.projects);
  const spanDays = Math.round((Date.parse(d.window.end) - Date.parse(d.window.start)) / 86_400_000);
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Jobs report: ${d.scope}, ${fmtTime(d.window.start).slice(0, 10)} to ${fmtTime(d.window.end).slice(0, 10)}</title>
<style>${raw(CSS)}</style>
</head>
<body><main>
<header>
<div><h1>DDM, DDS and DRS jobs: ops report</h1>
<div class="sub">${d.scope} &middot; created ${fmtTime(d.window.start)} to ${fmtTime(d.window.end)} UTC (${spanDays} days)</div></div>
<div class="meta">generated ${fmtTime(d.generatedAt.toISOString())} UTC<br>otc-jobs ${meta.version}</div>
</header>
${d.gaps.length ? html`<div class="gaps"><b>Incomplete: not everything could be read.</b><ul>${d.gaps.map((g) => html`<li>${g}</li>`)}</ul></div>` : ""}
<div class="kpis">
<div class="kpi"><span>jobs</span><b>${d.total}</b><small>${REPORT_SERVICES.map((s) => `${s.toUpperCase()} ${d.byService[s].total}`).join(" · ")}</small></div>
<div class="kpi ${d.byPhase.failed ? "bad" : "ok"}"><span>failed</span><b>${d.byPhase.failed}</b><small>${pct(d.failureRate)} of ${finished} finished</small></div>
<div class="kpi ${d.byPhase.waiting ? "warn" : "ok"}"><span>waiting for an operator</span><b>${d.byPhase.waiting}</b><small>e.g. DDM ToBeSwitched</small></div>
<div class="kpi run"><span>running or pending</span><b>${active}</b><small>at ${fmtTime(d.generatedAt.toISOString()).slice(11)} UTC</small></div>
<div class="kpi ok"><span>succeeded</span><b>${d.byPhase.succeeded}</b><small>${d.byPhase.canceled} canceled or rolled back</small></div>
</div>
<section><h2>Failed jobs per day (UTC)</h2>${legend(failSeries)}${failChart}
<h2 style="margin-top:10px">Jobs created per day</h2>${jobChart}</section>
<div class="grid2">
<section><h2>By service and phase</h2>${phaseTable(d)}</section>
<section><h2>Top failure reasons</h2>${reasonTable(d)}</section>
</div>
${d.projects ? html`<section><h2>Projects</h2>${projectTable(d.projects)}</section>` : ""}
<section><h2>Failed jobs (${d.failed.length})</h2>${d.failed.length ? jobRows(d.failed, withProject, true) : html`<p>None in this window.</p>`}</section>
${d.waiting.length ? html`<section><h2>Waiting for an operator (${d.waiting.length})</h2>${jobRows(d.waiting, withProject, false)}</section>` : ""}
<footer>Times are UTC. Phases: succeeded, failed, canceled (finished); running, pending; waiting (needs an operator). Made offline by <code>otc-jobs report</code>; this page loads nothing.</footer>
</main></body>
</html>
`;
  return page.value;
}
