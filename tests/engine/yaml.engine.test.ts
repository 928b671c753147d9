/** YAML: the program as a user writes it, run by the real CLI and pulumi-language-yaml. */
import { join } from "node:path";
import { PROGRAMS } from "./harness";
import { engineScenario, type Stack } from "./scenario";

engineScenario({
  name: "yaml",
  hasLanguageHost: true,
  async prepare(p) {
    const dir = (stack: Stack) => join(PROGRAMS, "yaml", stack);
    return {
      dir,
      preview: (stack, eventLog) => p.cli(["preview", "--json", "--stack", stack, "--event-log", eventLog], dir(stack)),
      // `up` previews first, as a user's `pulumi up --yes` does.
      up: (stack, eventLog) => p.cli(["up", "--yes", "--stack", stack, "--event-log", eventLog], dir(stack)),
    };
  },
});
