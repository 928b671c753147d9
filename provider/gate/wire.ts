/**
 * How Pulumi's engine marks values it sends a provider: the unknown sentinel (preview) and the
 * secret wrapper (when a provider accepts secrets). One owner for both, used by the gate's `check`
 * and `diff` and by the native plugin. Pulumi-free: plain values in, plain values out.
 */

/** The value the engine sends for a value not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The key and value that mark an object as a wrapped secret: `{[SECRET_SIG]: SECRET_VALUE, value}`. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** True when `v` is, or holds anywhere inside, an unknown. */
export function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

export interface WrappedSecret {
  [SECRET_SIG]: typeof SECRET_VALUE;
  value: unknown;
}

export function isSecret(v: unknown): v is WrappedSecret {
  return Boolean(v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE);
}

export function wrapSecret(value: unknown): WrappedSecret {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** True when `v` holds a wrapped secret anywhere. */
export function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (v && typeof v === "object") return Object.values(v).some(containsSecret);
  return false;
}

/** The plain value: every wrapped secret replaced by what it wraps. */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecret(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, unwrapSecrets(e)]));
  return v;
}

/** The value with unknown list elements and object fields left out. */
export function knownPart(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((e) => !isUnknown(e)).map(knownPart);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, e]) => !isUnknown(e)).map(([k, e]) => [k, knownPart(e)]));
  return v;
}
