// Registers a real JobGate (from the compiled SDK, as a program would) under setMocks and prints, as
// JSON on the last stdout line, the inputs the engine would receive: `__provider` is the serialized
// provider text the dynamic-provider host will load.
//
//   node tests/pulumi/capture-gate.js <path to the package's sdk entry>
const pulumi = require("@pulumi/pulumi");

let captured;
pulumi.runtime.setMocks(
  {
    async newResource(args) {
      if (args.type === "pulumi-nodejs:dynamic/otcjobs:JobGate") captured = { type: args.type, inputs: args.inputs };
      return { id: "", state: {} };
    },
    call() {
      throw new Error("no invokes expected");
    },
  },
  "capture",
  "test",
  true,
);

(async () => {
  const { JobGate } = require(process.argv[2]);
  new JobGate("gate", { service: "ddm", jobIds: ["placeholder"] });
  for (let i = 0; i < 100 && !captured; i++) await new Promise((r) => setTimeout(r, 50));
  if (!captured) throw new Error("JobGate was not registered");
  process.stdout.write(`\n${JSON.stringify(captured)}\n`);
  process.exit(0);
})().catch((e) => {
  process.stderr.write(String((e && e.stack) || e));
  process.exit(1);
});
