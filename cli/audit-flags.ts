/**
 * The flags of the account-wide audit (`list --all-projects [--regions ...]`). Loaded on every
 * start by cli/main.ts, so it imports commander only.
 */
import { InvalidArgumentError, Option } from "commander";

const REGION = /^[a-z]{2}(-[a-z0-9]+)+$/;

/** `--regions eu-de,eu-nl` (repeatable): region names, de-duplicated, in the order given. */
export function regionsFlag(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new InvalidArgumentError("must not be empty.");
  const bad = items.find((r) => !REGION.test(r));
  if (bad) throw new InvalidArgumentError(`"${bad}" is not a region name; use names like eu-de, eu-nl or eu-ch2.`);
  return [...new Set([...(previous ?? []), ...items])];
}

/** `--all-projects` for `list`. */
export function allProjectsOption(): Option {
  return new Option("--all-projects", "every project the credentials can see (IAM), each in its region; adds project and region columns");
}

/** `--regions` for `list`, with --all-projects. */
export function regionsOption(): Option {
  return new Option("--regions <regions...>", "with --all-projects: only projects of these regions (repeat or comma-separate)").argParser(regionsFlag);
}
