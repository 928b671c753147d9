// Runs a compiled Pulumi program under pulumi.runtime.setMocks in this process and prints, as JSON on
// the last line, the resources registered, the stack outputs and any error. A child process, because a
// failed gate rejects Outputs, which would crash a jest worker.
//
//   node tests/pulumi/run-program.js <program.js> <project> [--preview]
// The JobGate's registration runs the real dynamic provider (check + create, as the engine does on
// `pulumi up`); other resources get their inputs back as state.
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const { jobGateProvider } = require("../../dist/provider/dynamic/jobGate");

const [program, project, flag] = process.argv.slice(2);
const preview = flag === "--preview";
const registered = [];
const errors = [];
process.on("unhandledRejection", (e) => {
  const message = String((e && e.message) || e);
  if (!errors.includes(message)) errors.push(message);
});

pulumi.runtime.setMocks(
  {
    async newResource(args) {
      if (args.type === "pulumi-nodejs:dynamic/otcjobs:JobGate") {
        if (preview) return { id: "", state: {} };
        const { __provider, ...inputs } = args.inputs;
        if (typeof __provider !== "string" || !__provider.includes("pulumi-otc-jobs/provider")) {
          throw new Error("JobGate was registered without its serialized provider");
        }
        const checked = await jobGateProvider.check({}, inputs);
        if (checked.failures.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
        const created = await jobGateProvider.create(inputs);
        registered.push(args.name);
        return { id: created.id, state: created.outs };
      }
      registered.push(args.name);
      return { id: preview ? "" : `${args.name}-id`, state: args.inputs };
    },
    call() {
      throw new Error("no provider invokes expected: the data sources run in-process");
    },
  },
  project,
  "test",
  preview,
);

const settle = (output) =>
  new Promise((resolve) => {
    let done = false;
    output.apply((v) => {
      done = true;
      resolve({ value: v });
      return v;
    });
    // An output that never resolves (unknown in preview, or rejected) is reported as such.
    setTimeout(() => !done && resolve({ unresolved: true }), 5000);
  });

(async () => {
  const exports = require(path.resolve(program));
  const entries = Object.entries(exports).filter(([, v]) => pulumi.Output.isInstance(v));
  const settled = await Promise.all(entries.map(([, v]) => settle(v)));
  const outputs = Object.fromEntries(entries.map(([k], i) => [k, settled[i].unresolved ? "<unresolved>" : settled[i].value]));
  // Let pending registrations finish before reporting.
  await new Promise((r) => setTimeout(r, 300));
  process.stdout.write(`\n${JSON.stringify({ registered, outputs, errors })}\n`);
  process.exit(0);
})().catch((e) => {
  process.stdout.write(`\n${JSON.stringify({ registered, outputs: {}, errors: [...errors, String(e && e.message)] })}\n`);
  process.exit(0);
});
