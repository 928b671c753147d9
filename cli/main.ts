/**
 * The `otc-jobs` command line. This module is what `bin/otc-jobs.js` loads on every start, so it
 * imports only commander and dependency-free modules; each command loads the core (undici, zod),
 * tables or the emulator when it runs. `otc-jobs --version` never touches them.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Argument, Command, CommanderError, Option } from "commander";
import { ConfigError, OtcJobsError } from "../provider/errors";
import { allProjectsOption, regionsOption } from "./audit-flags";
import type { Io } from "./context";
import { registerReport } from "./report/command";
import { registerCompletion } from "./completion/command";
import { completeWords } from "./completion/engine";
import { EXIT, EXIT_FOR_ERROR } from "./exit";
import { RECORD_FIELDS } from "../provider/records";
import {
  DB_USE_TYPE_CHOICES,
  durationFlag,
  EMULATOR_DEFAULTS,
  FLAG_OF,
  fieldsFlag,
  type GlobalOptions,
  intFlag,
  listFlag,
  numberFlag,
  OUTPUT_FORMATS,
  phaseListFlag,
  type Service,
  sinceFlag,
  timeFlag,
  WAIT_DEFAULTS,
} from "./options";

/** The package's version, read from the nearest package.json named pulumi-otc-jobs. */
export function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-otc-jobs" && pkg.version) return pkg.version;
    } catch {
      // not here: look one level up
    }
    dir = dirname(dir);
  }
  return "0.0.0";
}

const EXIT_CODES_HELP = `
Exit codes:
  0  done (wait: every job reached the target)
  1  wait: a job failed or was canceled
  2  wait: --timeout passed first
  3  bad usage or configuration (unknown flag, no credentials, unknown job id)
  4  the cloud API failed (error reply, network, deadline); list all: some service failed
  5  the cloud rejected the credentials (invalid, expired, not allowed): renew or fix them
  130, 143  interrupted (SIGINT, SIGTERM); wait prints what it saw last

Credentials come from the environment (OS_AUTH_TOKEN, OS_ACCESS_KEY + OS_SECRET_KEY,
OS_USERNAME + OS_PASSWORD + OS_DOMAIN_NAME, or HW_*) or clouds.yaml (--profile / OS_CLOUD).`;

function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command("otc-jobs");
  program
    .description("Read and gate on DDM, DDS and DRS jobs of Open Telekom Cloud and Huawei Cloud.")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    // Every command's help lists the global flags too, wrapped at word boundaries to the terminal.
    .configureHelp({ showGlobalOptions: true, helpWidth: Math.min(100, io.stdout.columns ?? 80) })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`otc-jobs: ${s.replace(/^error: /, "")}`),
    })
    .addOption(new Option("--cloud <cloud>", "cloud: otc (default) or huaweicloud [env OTCJOBS_CLOUD]").choices(["otc", "huaweicloud"]))
    .option("--region <region>", "region, e.g. eu-de [env OS_REGION_NAME]")
    .option("--project-id <id>", "project id, 32 hex characters [env OS_PROJECT_ID]")
    .option("--project-name <name>", "project name, resolved to its id through IAM, e.g. eu-de_myproject [env OS_PROJECT_NAME]")
    .option("--endpoint <url>", "one base URL for all services, e.g. the emulator's gateway [env OTCJOBS_ENDPOINT]")
    .option("--profile <name>", "clouds.yaml cloud to read credentials from [env OS_CLOUD]")
    .addOption(new Option("--os-cloud <name>", "same as --profile").conflicts("profile"))
    .option("--verbose", "log each request (path, status, time, request id; never headers) to stderr")
    .addHelpText("after", EXIT_CODES_HELP);

  const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
  const output = () =>
    new Option("-o, --output <format>", "table, wide (more columns, full ids), json, jsonl (one object a line), csv or yaml").choices(OUTPUT_FORMATS).default("table");
  const fields = () => new Option("--fields <fields>", `only these fields, in this order (${RECORD_FIELDS.join(", ")})`).argParser(fieldsFlag);
  const dbUseType = (what: string) => new Option("--db-use-type <type>", what).choices(DB_USE_TYPE_CHOICES);

  program
    .command("list")
    .description("list the jobs of one service, or of all three merged; the table newest first, json/jsonl/csv/yaml as pages arrive")
    .addArgument(new Argument("<service>", "ddm, dds, drs or all").choices(["ddm", "dds", "drs", "all"]))
    .addOption(new Option("--since <duration>", "jobs created in this long before now, e.g. 12h, 7d (default 7d)").argParser(sinceFlag).conflicts("start"))
    .addOption(new Option("--start <time>", "window start: ISO-8601 time or a duration before now").argParser(timeFlag))
    .addOption(new Option("--end <time>", "window end: ISO-8601 time or a duration before now (default now)").argParser(timeFlag))
    .addOption(new Option("--status <status...>", "keep these API statuses (repeat or comma-separate)").argParser(listFlag))
    .addOption(new Option("--phase <phase...>", "keep these phases: pending, running, waiting, succeeded, failed, canceled, unknown").argParser(phaseListFlag))
    .addOption(new Option("--name <name...>", "keep these task names").argParser(listFlag))
    .option("--instance <id>", "keep jobs of this instance (DRS: sent as instance_ids, Huawei Cloud only)")
    .addOption(dbUseType("DRS: only this db use type (default: migration, sync and cloudDataGuard)"))
    .addOption(new Option("--max-items <n>", "show at most n jobs (the newest)").argParser(intFlag(1, 1_000_000)))
    .addOption(output())
    .option("-w, --wide", "same as -o wide")
    .addOption(fields())
    .option("--no-headers", "table and csv: no header row, no summary lines")
    .option("-q, --quiet", "print only the ids, one a line")
    .option("--sorted", "json, jsonl, csv, yaml, -q: newest first, once every job is read (default: as pages arrive)")
    .addOption(allProjectsOption()).addOption(regionsOption())
    .showHelpAfterError("(see: otc-jobs list --help)")
    .addHelpText(
      "after",
      `
Examples:
  otc-jobs list all --since 24h                      # everything of the last day, newest first
  otc-jobs list ddm --phase failed -o wide           # failed DDM jobs with their fail reasons
  otc-jobs list drs --db-use-type sync -o json       # every DRS sync task, for a script
  otc-jobs list dds --since 7d -q | xargs -n1 otc-jobs get dds
  otc-jobs list all --fields service,id,status --no-headers -o csv
  otc-jobs list ddm --since 29d -o jsonl > jobs.jsonl   # streamed: any number of jobs

Order: the table is sorted newest first (ties: service, then id). json, jsonl, csv, yaml and -q are
written as pages arrive, in each service's page order (in "all" the services interleave), so a listing
of any size never waits or piles up in memory; --sorted or --max-items sorts them newest first.`,
    )
    .action(async (service: Service | "all", opts, cmd: Command) => {
      const { runList } = opts.allProjects || opts.regions ? await import("./audit") : await import("./commands/list");
      setCode(await runList(io, globals(cmd), service, opts));
    });

  program
    .command("get")
    .description("show one DDM or DDS job")
    .addArgument(new Argument("<service>", "ddm or dds (DRS has no single-job call: use list drs --name ID)").choices(["ddm", "dds"]))
    .argument("<job-id>", "the job's id, or a unique prefix of it (as the table shows)")
    .addOption(output())
    .addOption(fields())
    .option("--no-headers", "csv: no header row")
    .showHelpAfterError("(see: otc-jobs get --help)")
    .action(async (service: "ddm" | "dds", id: string, opts, cmd: Command) => {
      const { runGet } = await import("./commands/get");
      setCode(await runGet(io, globals(cmd), service, id, opts));
    });

  program
    .command("wait")
    .description("wait until jobs reach a phase or status: a deployment gate (exit 0 done, 1 failed, 2 timeout, 3 usage)")
    .addArgument(new Argument("<service>", "ddm, dds or drs").choices(["ddm", "dds", "drs"]))
    .argument("<job-id...>", "one or more job ids")
    .option("--until <target>", "finished, a phase (running, waiting, succeeded, ...) or an exact API status", WAIT_DEFAULTS.until)
    .addOption(new Option("--timeout <duration>", "give up after this long (exit 2)").argParser(durationFlag).default(WAIT_DEFAULTS.timeout, "30m"))
    .addOption(new Option("--interval <duration>", "longest time between polls (at least 1s; the first polls come sooner)").argParser(durationFlag).default(WAIT_DEFAULTS.interval, "10s"))
    .addOption(
      new Option("--grace <duration>", "how long a job id may stay unknown (new-job lag) before exit 3").argParser(durationFlag).default(WAIT_DEFAULTS.grace, "2m"),
    )
    .addOption(
      new Option("--heartbeat <duration>", "when stdout is not a terminal: a \"still waiting\" line after this long without output").argParser(durationFlag).default(60_000, "60s"),
    )
    .addOption(dbUseType("DRS: the job's db use type (default: look in all three)"))
    .showHelpAfterError("(see: otc-jobs wait --help)")
    .addHelpText(
      "after",
      `
Examples:
  otc-jobs wait ddm 92370d30-3ddc-4e05-b8ab-51662d824318 --timeout 20m
  otc-jobs wait drs JOB_ID --until INCRE_TRANSFER_STARTED   # a DRS sync is up
  otc-jobs wait dds ID1 ID2 --until succeeded --interval 30s`,
    )
    .action(async (service: Service, ids: string[], opts, cmd: Command) => {
      const { runWait } = await import("./commands/wait");
      setCode(await runWait(io, globals(cmd), service, ids, opts));
    });

  program
    .command("emulator")
    .description("run the local emulator of DDM, DDS, DRS and IAM until Ctrl-C")
    .addOption(new Option("--port <port>", "gateway port (0: a free one)").argParser(intFlag(0, 65535)).default(EMULATOR_DEFAULTS.port))
    .option("--host <host>", "address to listen on", EMULATOR_DEFAULTS.host)
    .addOption(new Option("--seed <n>", "seed of the generated jobs").argParser(intFlag(-2_147_483_648, 2_147_483_647)).default(EMULATOR_DEFAULTS.seed))
    .addOption(new Option("--jobs <n>", "seeded jobs per service").argParser(intFlag(0, 100_000)).default(EMULATOR_DEFAULTS.jobs))
    .addOption(new Option("--latency <ms>", "add this many ms to every service response").argParser(numberFlag(0, 600_000)).default(EMULATOR_DEFAULTS.latency))
    .addOption(new Option("--fault-rate <f>", "share of service requests answered 503, 0 to 1").argParser(numberFlag(0, 1)).default(EMULATOR_DEFAULTS.faultRate))
    .option("--print-env", "start in the background and print export lines: eval \"$(otc-jobs emulator --print-env)\"")
    .showHelpAfterError("(see: otc-jobs emulator --help)")
    .action(async (opts) => {
      const { runEmulator } = await import("./emulator-env");
      setCode(await runEmulator(io, opts));
    });

  registerReport(program, io, setCode);
  registerCompletion(program, io);
  return program;
}

/** Exit code and message for an error that reached the top: one table from the error's code. */
export function classify(e: unknown): { code: number; message?: string } {
  if (e instanceof CommanderError) return { code: e.exitCode === 0 ? EXIT.ok : EXIT.usage };
  if (e instanceof OtcJobsError) {
    const code = EXIT_FOR_ERROR[e.code];
    const flag = e instanceof ConfigError && e.setting ? FLAG_OF[e.setting] : undefined;
    const remedy =
      e.code === "OTCJOBS_AUTH"
        ? "; renew or fix the credentials (see otc-jobs --help for where they are read)"
        : flag
          ? ` (or the flag ${flag})`
          : "";
    return { code, message: `${e.message}${remedy}` };
  }
  return { code: EXIT.api, message: e instanceof Error ? `unexpected error: ${e.stack ?? e.message}` : String(e) };
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  if (argv[0] === "__complete") return completeWords(program, argv.slice(1), io.stdout);
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    const { code: failure, message } = classify(e);
    if (message) io.stderr.write(`otc-jobs: ${message}\n`);
    return failure;
  }
}
