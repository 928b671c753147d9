// `node driver.js preview|up <stack> <event-log>`: runs index.js's program with the real `pulumi` CLI
// on PATH through the Automation API (an inline program: the SDK hosts it in this process, standing in
// for pulumi-language-nodejs, which the Go module proxy does not serve). Engine events go to the log,
// one JSON object per line; the CLI's output to stdout.
const { appendFileSync } = require("node:fs");
const { LocalWorkspace } = require("@pulumi/pulumi/automation");
const { program } = require("./index");

async function main() {
  const [op, stackName, eventLog] = process.argv.slice(2);
  const stack = await LocalWorkspace.selectStack({ stackName, projectName: "otcjobs-engine-typescript", program }, { workDir: __dirname });
  const options = { onOutput: (s) => process.stdout.write(s), onEvent: (e) => appendFileSync(eventLog, `${JSON.stringify(e)}\n`) };
  if (op === "preview") await stack.preview(options);
  else if (op === "up") await stack.up(options);
  else throw new Error(`unknown operation ${op}`);
}

main().catch((e) => {
  process.stderr.write(`${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
