/**
 * The five data-source functions, defined once in `./table` (token, argument schema, the call, the
 * result's shape, the docs). The Node SDK and the native plugin both run them; this face is zod-free,
 * so public declarations carry no zod types.
 */
import type { Client } from "../client";
import { BY_NAME, runFunction } from "./table";
import type { FunctionName, FunctionTypes } from "./types";

export * from "./types";
export { queryId } from "./id";

export const FUNCTION_NAMES = Object.keys(BY_NAME) as FunctionName[];

/**
 * Runs one of the five functions by name: validates its arguments (`InvalidArgumentError` naming
 * the argument, before any request), then calls the service. What the SDK and the plugin both run.
 */
export function callFunction<N extends FunctionName>(name: N, client: Client, args: FunctionTypes[N]["args"], signal?: AbortSignal): Promise<FunctionTypes[N]["result"]> {
  return runFunction(BY_NAME[name], client, args, signal) as Promise<FunctionTypes[N]["result"]>;
}
