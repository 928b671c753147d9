/** YAML: the program as a user writes it, run by the real CLI and pulumi-language-yaml. */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROGRAMS } from "./harness";
import { engineScenario, type Stack } from "./scenario";

engineScenario({
  name: "yaml",
  hasLanguageHost: true,
  async prepare(p) {
    // A copy of each project, so stack files (Pulumi.<stack>.yaml) stay out of the repository.
    const root = mkdtempSync(join(tmpdir(), "otcjobs-engine-yaml-"));
    for (const stack of ["pass", "fail"]) cpSync(join(PROGRAMS, "yaml", stack, "Pulumi.yaml"), join(root, stack, "Pulumi.yaml"));
    const dir = (stack: Stack) => join(root, stack);
    return {
      dir,
      preview: (stack, eventLog) => p.cli(["preview", "--json", "--stack", stack, "--event-log", eventLog], dir(stack)),
      // `up` previews first, as a user's `pulumi up --yes` does.
      up: (stack, eventLog) => p.cli(["up", "--yes", "--stack", stack, "--event-log", eventLog], dir(stack)),
    };
  },
});
