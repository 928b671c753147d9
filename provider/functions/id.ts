import { createHash } from "node:crypto";

/** An id from the function and its arguments (not the resolved window, which moves with the clock). */
export function queryId(fn: string, args: object): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));
  return `${fn}:${createHash("sha256").update(canonical).digest("hex").slice(0, 16)}`;
}

