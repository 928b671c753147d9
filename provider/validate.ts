import { z } from "zod";
import { type ApiName, InvalidArgumentError, ResponseShapeError } from "./errors";

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

/**
 * Validates caller arguments; the first broken rule becomes an `InvalidArgumentError` naming the
 * argument, so nothing is sent for invalid input.
 */
export function parseArgs<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.join(", ");
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(", ") : "";
    throw new InvalidArgumentError(keys, "unknown", `is not an argument of ${what}${known ? ` (known: ${known})` : ""}`);
  }
  const argument = pathOf(issue.path) || what;
  throw new InvalidArgumentError(argument, issue.code, issue.message);
}

/**
 * Validates a response. Schemas are lenient about extra fields and unknown enum values; what fails
 * here is a missing or mistyped field the contract requires, reported with its path.
 */
export function parseResponse<S extends z.ZodType>(
  schema: S,
  json: unknown,
  service: ApiName,
  operation: string,
): z.output<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ResponseShapeError(service, operation, pathOf(issue.path), issue.message);
}

/** A whole number in [min, max], with a message that states the range. */
export function intIn(min: number, max: number) {
  return z.number({ error: `must be a whole number from ${min} to ${max}` }).int({ error: `must be a whole number from ${min} to ${max}` }).min(min, { error: `must be from ${min} to ${max}` }).max(max, { error: `must be from ${min} to ${max}` });
}

/** One of a fixed set; the message lists the set. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, label: string) {
  return z.enum(values, { error: (iss) => `${JSON.stringify(iss.input)} is not a ${label}; use one of ${values.join(", ")}` });
}

/** A value or a list of them, normalized to a list. */
export function oneOrMany<S extends z.ZodType>(item: S) {
  return z.union([item, z.array(item).min(1, { error: "must not be an empty list" })]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<S>[]);
}

/** Accepts `Date`, ISO strings, epoch ms and durations; the exact rules are checked by `resolveTime`. */
export const timeInput = z.union([z.date(), z.string(), z.number()], {
  error: "must be a Date, an ISO-8601 string, epoch milliseconds or a duration like 7d",
});

