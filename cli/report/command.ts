/**
 * Registers `otc-jobs report`. Loaded on every start by cli/main.ts, so it imports commander and the
 * dependency-free flag parsers only; the command's work loads when it runs.
 */
import { type Command, Option } from "commander";
import { allProjectsOption, regionsOption } from "../audit-flags";
import type { Io } from "../context";
import { type GlobalOptions, sinceFlag, timeFlag } from "../options";

export const REPORT_FORMATS = ["html", "json"] as const;

export function registerReport(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("report")
    .description("an ops report of every service's jobs: one self-contained HTML page (or JSON)")
    .addOption(new Option("--since <duration>", "jobs created in this long before now (at most 30d: DDM keeps 30 days)").argParser(sinceFlag).conflicts("start"))
    .addOption(new Option("--start <time>", "window start: ISO-8601 time or a duration before now").argParser(timeFlag))
    .addOption(new Option("--end <time>", "window end (default now)").argParser(timeFlag))
    .addOption(new Option("-o, --output <format>", "html or json").choices(REPORT_FORMATS).default("html"))
    .option("--out <file>", "write the report to this file instead of stdout")
    .addOption(allProjectsOption())
    .addOption(regionsOption())
    .showHelpAfterError("(see: otc-jobs report --help)")
    .addHelpText(
      "after",
      `
Examples:
  otc-jobs report --since 30d -o html > jobs-report.html
  otc-jobs report --since 7d --all-projects --regions eu-de,eu-nl --out week.html
  otc-jobs report --since 30d -o json | jq '.byPhase'

The page has no script and loads nothing (inline CSS and SVG, system fonts); every text from the
cloud is HTML-escaped. Exit 4 when a service or project could not be read (the page says which).`,
    )
    .action(async (opts, cmd: Command) => {
      const { runReport } = await import("../commands/report");
      setCode(await runReport(io, cmd.optsWithGlobals<GlobalOptions>(), { ...opts, version: program.version() ?? "0.0.0" }));
    });
}
