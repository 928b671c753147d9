/**
 * `npm run demo`: starts the emulator in-process and lists the jobs of all three services through
 * the core client, as an engineer auditing the last week would. No cloud account needed.
 */
import Table from "cli-table3";
import { createClient, listDdmJobs, listDdsJobs, listDrsJobs, DB_USE_TYPES, type Phase } from "../provider";
import { startEmulator } from "../emulator";

// Colour only for a terminal: piped output stays plain text.
const style = process.stdout.isTTY ? {} : { style: { head: [], border: [] } };

interface Row {
  service: string;
  id: string;
  name: string;
  status: string;
  phase: Phase;
  created: string;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ seed: 7 });
  const client = createClient({ projectId: emulator.projectId, token: emulator.token, endpoint: emulator.gateway });
  try {
    console.log(`Emulator at ${emulator.gateway} (project ${emulator.projectId})\n`);
    const started = Date.now();
    const [ddm, dds, ...drs] = await Promise.all([
      listDdmJobs(client, { startTime: "7d" }),
      listDdsJobs(client, { startTime: "7d" }),
      ...DB_USE_TYPES.map((dbUseType) => listDrsJobs(client, { dbUseType })),
    ]);
    const rows: Row[] = [
      ...ddm.jobs.map((j) => ({ service: "ddm", id: j.id, name: j.name, status: j.status, phase: j.phase, created: j.createdTime })),
      ...dds.jobs.map((j) => ({ service: "dds", id: j.id, name: j.name, status: j.status, phase: j.phase, created: j.createdAt })),
      ...drs.flatMap((r) => r.jobs.map((j) => ({ service: "drs", id: j.id, name: j.name, status: j.status, phase: j.phase, created: j.createTime }))),
    ];
    const elapsed = Date.now() - started;

    const notable = rows.filter((r) => r.phase !== "succeeded").sort((a, b) => b.created.localeCompare(a.created));
    const table = new Table({ ...style, head: ["service", "name", "status", "phase", "created (UTC)", "id"] });
    for (const r of notable.slice(0, 20)) table.push([r.service, r.name, r.status, r.phase, r.created.slice(0, 19).replace("T", " "), r.id.slice(0, 13)]);
    console.log(`Jobs that did not succeed (newest 20 of ${notable.length}):`);
    console.log(table.toString());

    const totals = new Table({ ...style, head: ["service", "jobs", "running", "waiting", "failed", "succeeded"] });
    const add = (name: string, s: { total: number; byPhase: Record<Phase, number> }) =>
      totals.push([name, s.total, s.byPhase.running, s.byPhase.waiting, s.byPhase.failed, s.byPhase.succeeded]);
    add("ddm (7 days)", ddm.summary);
    add("dds (7 days)", dds.summary);
    DB_USE_TYPES.forEach((t, i) => add(`drs ${t}`, drs[i]!.summary));
    console.log(`\nAll ${rows.length} jobs, fetched in ${elapsed} ms:`);
    console.log(totals.toString());
  } finally {
    await client.close();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
