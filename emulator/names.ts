/** The emulated services. `iam` is the token service; the job services are `ddm`, `dds`, `drs`. */
export type ServiceName = "ddm" | "dds" | "drs";
export type ServiceKey = ServiceName | "iam";

export const SERVICE_NAMES: readonly ServiceName[] = ["ddm", "dds", "drs"];
export const SERVICE_KEYS: readonly ServiceKey[] = ["ddm", "dds", "drs", "iam"];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

export function isServiceKey(value: string): value is ServiceKey {
  return (SERVICE_KEYS as readonly string[]).includes(value);
}
