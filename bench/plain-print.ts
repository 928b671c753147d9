/**
 * The peer of `otc-jobs list ddm -o json`: a plain script that fetches every DDM page 8 at a time
 * and prints the jobs as one indented JSON array. Run as its own process, like the CLI, so both pay
 * their start-up. Config (argv[2], JSON): a `DdmTarget` without times (`sinceMs` instead).
 */
import { type DdmTarget, fetchEightAtATime } from "./peers";

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2] ?? "{}") as Omit<DdmTarget, "startMs" | "endMs"> & { sinceMs: number };
  const endMs = Date.now();
  const jobs = await fetchEightAtATime({ ...c, startMs: endMs - c.sinceMs, endMs });
  process.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
