/** The executable's entry: what `bin/pulumi-resource-otcjobs` and the packed bundle run. */
import { main } from "./main";

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`pulumi-resource-otcjobs: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
