/**
 * Registers `otc-jobs completion <bash|zsh|fish>`. Loaded on every start by cli/main.ts, so it
 * imports commander only; `__complete` (what the scripts call) is answered by engine.ts before
 * commander parses anything, so no flag typed so far can trigger help or an error.
 */
import { Argument, type Command } from "commander";
import type { Io } from "../context";

export function registerCompletion(program: Command, io: Io): void {
  program
    .command("completion")
    .description("print a shell completion script for bash, zsh or fish")
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"]))
    .addHelpText(
      "after",
      `
Load it in the current shell (otc-jobs must be on PATH: npm link, or a global install):
  bash:  source <(otc-jobs completion bash)
  zsh:   source <(otc-jobs completion zsh)        (after compinit)
  fish:  otc-jobs completion fish | source

Or install it for every new shell:
  bash:  otc-jobs completion bash > ~/.local/share/bash-completion/completions/otc-jobs
  zsh:   otc-jobs completion zsh > "\${fpath[1]}/_otc-jobs"
  fish:  otc-jobs completion fish > ~/.config/fish/completions/otc-jobs.fish`,
    )
    .action(async (shell: "bash" | "zsh" | "fish") => {
      const { completionScript } = await import("./scripts");
      io.stdout.write(completionScript(shell));
    });
}
