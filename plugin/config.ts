/**
 * The provider's configuration: CheckConfig's validation (known keys only, misspellings named, values
 * that arrive as JSON strings coerced, secrets kept wrapped) and Configure's settings (then the
 * environment and clouds.yaml, through the core's precedence, when a client is built).
 */
import type { Settings } from "../provider/config";
import { OtcJobsError } from "../provider/errors";
import { coerceStackValue, isSecretKey, STACK_CONFIG_KEYS, unknownStackKeys } from "../provider/gate/stackConfig";
import { isSecret, isUnknown, wrapSecret } from "../provider/gate/wire";

/** Keys the engine itself adds to a provider's inputs. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

export interface ConfigFailure {
  property: string;
  reason: string;
}

/** Edit distance, to suggest the key a user meant. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
  return d[a.length]![b.length]!;
}

function suggestion(key: string): string {
  const best = STACK_CONFIG_KEYS.map((k) => ({ k, d: distance(key, k) })).sort((x, y) => x.d - y.d)[0]!;
  return best.d <= 3 ? `; did you mean otcjobs:${best.k}?` : "";
}

/** CheckConfig: the inputs coerced (secret stays wrapped, unknown stays unknown) and the failures. */
export function checkConfig(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: ConfigFailure[] } {
  const failures: ConfigFailure[] = [];
  const inputs: Record<string, unknown> = {};
  for (const key of unknownStackKeys(Object.keys(news))) {
    if (ENGINE_KEYS.has(key)) continue;
    failures.push({ property: key, reason: `otcjobs:${key} is not a setting of otcjobs (settings: ${STACK_CONFIG_KEYS.join(", ")})${suggestion(key)}` });
  }
  for (const [key, raw] of Object.entries(news)) {
    if (!(STACK_CONFIG_KEYS as readonly string[]).includes(key) || isUnknown(raw)) {
      inputs[key] = raw;
      continue;
    }
    const secret = isSecret(raw);
    const value = secret ? raw.value : raw;
    if (value === undefined || value === null || value === "") continue;
    try {
      const coerced = coerceStackValue(key as keyof Settings, value);
      // A secret stays wrapped; a secret setting given in the clear is wrapped so state keeps it encrypted.
      inputs[key] = secret || isSecretKey(key) ? wrapSecret(coerced) : coerced;
    } catch (e) {
      if (!(e instanceof OtcJobsError)) throw e;
      failures.push({ property: key, reason: `otcjobs:${key}: ${e.detail}` });
      inputs[key] = raw;
    }
  }
  return { inputs, failures };
}

/** Settings from Configure's arguments (plain keys) or variables (`otcjobs:config:key`), secrets unwrapped. */
export function settingsFromConfigure(args: Record<string, unknown>, variables: Map<string, string>): Settings {
  const out: Record<string, unknown> = {};
  for (const key of STACK_CONFIG_KEYS) {
    let v = args[key];
    if (v === undefined) v = variables.get(`otcjobs:config:${key}`) ?? variables.get(`otcjobs:${key}`);
    if (isSecret(v)) v = v.value;
    if (v === undefined || v === null || v === "" || isUnknown(v)) continue;
    out[key] = coerceStackValue(key, v);
  }
  return out as Settings;
}

/** `PULUMI_CONFIG` as the engine sets it for a plugin: the package's keys, namespace stripped or not. */
export function settingsFromEnvironment(env: Record<string, string | undefined>): Settings {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(env.PULUMI_CONFIG ?? "{}") as Record<string, unknown>;
  } catch {
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const key of STACK_CONFIG_KEYS) {
    const v = parsed[key] ?? parsed[`otcjobs:${key}`];
    if (v === undefined || v === null || v === "") continue;
    try {
      out[key] = coerceStackValue(key, v);
    } catch {
      // CheckConfig names a bad value; the environment copy is only a fallback.
    }
  }
  return out as Settings;
}
