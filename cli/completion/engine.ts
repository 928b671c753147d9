/**
 * Shell completion, computed from the commander program itself, so a new command, flag or choice
 * completes without touching the shell scripts. The scripts (`scripts.ts`) call
 * `otc-jobs __complete <words...>` (as gh and kubectl call their `__complete`): the words typed after
 * `otc-jobs`, the last being the one under the cursor ("" for a new word). The answer is one
 * candidate per line, `value\tdescription`, and at most one directive line: `:files` when the shell
 * should complete file names instead.
 */
import type { Command, Option } from "commander";

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completion {
  candidates: Candidate[];
  /** Complete file names (the value of `--out`, `--cacert`, ...). */
  files: boolean;
}

/** Flags whose value is a path. */
const FILE_FLAGS = new Set(["--out", "--cacert"]);

const visible = (cmd: Command): Command[] => cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);

/** Options a word may name at this level: the command's, the program's (global), and help. */
function optionsOf(cmd: Command, program: Command): Option[] {
  const own = cmd === program ? [] : cmd.options;
  return [...own, ...program.options].filter((o) => !o.hidden);
}

function findOption(options: Option[], word: string): Option | undefined {
  const name = word.includes("=") ? word.slice(0, word.indexOf("=")) : word;
  return options.find((o) => o.long === name || o.short === name);
}

const takesValue = (o: Option): boolean => o.required || o.optional;

/** `--` + letters: long names; `-`: every name; `-x`: short names. */
function optionCandidates(options: Option[], prefix: string): Candidate[] {
  const named = [...options.map((o) => ({ long: o.long, short: o.short, description: o.description })), { long: "--help", short: "-h", description: "show help" }];
  const out: Candidate[] = [];
  for (const o of named) {
    const names = prefix.startsWith("--") ? [o.long] : prefix === "-" ? [o.long, o.short] : [o.short];
    for (const name of names) if (name && name.startsWith(prefix)) out.push({ value: name, description: o.description });
  }
  return out;
}

/** The completions of the last word of `words` (the words after the program name). */
export function complete(program: Command, words: readonly string[]): Completion {
  const current = words.length ? words[words.length - 1]! : "";
  const before = words.slice(0, -1);
  let cmd = program;
  let positional = 0;
  let pendingValue: Option | undefined;
  let afterDoubleDash = false;
  for (const word of before) {
    if (pendingValue) {
      pendingValue = undefined;
      continue;
    }
    if (!afterDoubleDash && word === "--") {
      afterDoubleDash = true;
      continue;
    }
    if (!afterDoubleDash && word.startsWith("-") && word !== "-") {
      const opt = findOption(optionsOf(cmd, program), word);
      if (opt && takesValue(opt) && !word.includes("=")) pendingValue = opt;
      continue;
    }
    const sub = cmd === program ? visible(program).find((c) => c.name() === word || c.aliases().includes(word)) : undefined;
    if (sub) cmd = sub;
    else positional++;
  }

  if (pendingValue) return valueCompletion(pendingValue, current);
  if (current.startsWith("--") && current.includes("=")) {
    const opt = findOption(optionsOf(cmd, program), current);
    if (opt && takesValue(opt)) {
      const name = current.slice(0, current.indexOf("=") + 1);
      const inner = valueCompletion(opt, current.slice(name.length));
      return { ...inner, candidates: inner.candidates.map((c) => ({ ...c, value: `${name}${c.value}` })) };
    }
  }
  if (current.startsWith("-") && !afterDoubleDash) return { candidates: optionCandidates(optionsOf(cmd, program), current), files: false };
  if (cmd === program) {
    // A word that names no command: there is nothing sensible to offer after it.
    if (positional > 0) return { candidates: [], files: false };
    return {
      candidates: visible(program)
        .filter((c) => c.name().startsWith(current))
        .map((c) => ({ value: c.name(), description: c.description() })),
      files: false,
    };
  }
  const args = cmd.registeredArguments;
  const arg = args[Math.min(positional, args.length - 1)];
  if (!arg || (positional >= args.length && !arg.variadic)) return { candidates: [], files: false };
  const choices = arg.argChoices ?? [];
  return { candidates: choices.filter((c) => c.startsWith(current)).map((value) => ({ value })), files: false };
}

function valueCompletion(opt: Option, current: string): Completion {
  if (opt.argChoices) return { candidates: opt.argChoices.filter((c) => c.startsWith(current)).map((value) => ({ value })), files: false };
  return { candidates: [], files: FILE_FLAGS.has(opt.long ?? "") };
}

/** Answers `otc-jobs __complete <words...>` on stdout; never fails (a broken completion must not print errors into a prompt). */
export function completeWords(program: Command, words: readonly string[], out: NodeJS.WritableStream): number {
  try {
    out.write(formatCompletion(complete(program, words.length ? words : [""])));
  } catch {
    // nothing to offer
  }
  return 0;
}

/** The `__complete` answer: `value\tdescription` lines, then `:files` if wanted. */
export function formatCompletion(c: Completion): string {
  const lines = c.candidates.map((x) => (x.description ? `${x.value}\t${x.description.replace(/\s+/g, " ")}` : x.value));
  if (c.files) lines.push(":files");
  return lines.length ? `${lines.join("\n")}\n` : "";
}
