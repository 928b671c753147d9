/**
 * Values between the engine and the plugin: `google.protobuf.Struct` in and out, the engine's secret
 * wrapper and unknown sentinel (owned by `provider/gate/wire.ts`). A Struct cannot carry `undefined`
 * (it throws) or a Date, and turns numbers into doubles: results pass through JSON first.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { containsSecret, containsUnknown, isSecret as isWrappedSecret, unwrapSecrets, wrapSecret } from "../provider/gate/wire";

export { containsSecret, containsUnknown, isWrappedSecret, unwrapSecrets, wrapSecret };

export type Plain = Record<string, unknown>;

export function fromStruct(s: Struct | undefined): Plain {
  return (s?.toJavaScript() ?? {}) as Plain;
}

/** A Struct from any JSON-able object: `undefined` fields dropped, dates as ISO strings. */
export function toStruct(v: object): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(v)));
}

/** Every top-level field wrapped as a secret (a result derived from a secret input). */
export function wrapFields(v: Plain): Plain {
  return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, e === undefined ? e : wrapSecret(e)]));
}
