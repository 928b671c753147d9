/**
 * Turns the global flags into a core client. Flags are the `args` layer of `resolveConfig`, so they
 * win over the environment and clouds.yaml; credentials come from env or clouds.yaml (never flags:
 * a secret on a command line ends up in shell history and process lists).
 */
import { type Client, type ClientOptions, type RequestLogEvent, SECRET_FIELDS, type Settings } from "../provider";
import { UsageError } from "./exit";
import { FLAG_OF, type GlobalOptions } from "./options";

/** Never printed by --verbose, not even the access key id. */
const HIDDEN = new Set<string>([...SECRET_FIELDS, "accessKey"]);

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

export function processIo(env: Record<string, string | undefined> = process.env): Io {
  return { stdout: process.stdout, stderr: process.stderr, env };
}

/** The settings the flags carry; flag names are what error messages use (see `flagOf`). */
export function settingsFromFlags(g: GlobalOptions): Settings {
  const settings: Settings = {
    cloud: g.cloud,
    region: g.region,
    projectId: g.projectId,
    projectName: g.projectName,
    endpoint: g.endpoint,
    osCloud: g.profile ?? g.osCloud,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Settings;
}


/** Where a setting came from, in the words a CLI user knows: the flag, or the provenance the core recorded. */
export function describeSetting(field: string, provenance: Record<string, string>): string {
  const from = provenance[field];
  if (!from || from === "arguments") return FLAG_OF[field] ?? field;
  return `${field} (from ${from})`;
}

/** A one-line, secret-free request log entry for `--verbose`. */
export function formatLogEvent(e: RequestLogEvent): string {
  const outcome = e.error ? `${e.status || "-"} ${e.error}` : String(e.status);
  const extras = [
    e.attempt > 1 ? `attempt ${e.attempt}` : undefined,
    e.requestId ? `request id ${e.requestId}` : undefined,
    e.retryInMs !== undefined ? `retry in ${e.retryInMs} ms` : undefined,
  ].filter(Boolean);
  return (
    `otc-jobs: ${e.service} ${e.operation}: ${e.method} ${redactPath(e.path)} -> ${outcome} in ${e.durationMs} ms` +
    (extras.length ? ` (${extras.join(", ")})` : "")
  );
}

/** The core logs only paths and queries; still, never print a query value whose name smells of a secret. */
export function redactPath(path: string): string {
  return path.replace(/([?&][^=&]*(?:token|secret|password|signature|sk)[^=&]*=)[^&]*/gi, "$1[redacted]");
}

export interface OpenedClient {
  client: Client;
  provenance: Record<string, string>;
}

/**
 * Resolves the configuration (flags > env > clouds.yaml) and creates the client. Loads the core
 * (undici, zod, yaml) only now, so `--version` and `--help` stay fast.
 */
export async function openClient(g: GlobalOptions, io: Io, extra: Partial<ClientOptions> = {}): Promise<OpenedClient> {
  const { resolveConfig, Client: ClientClass, ConfigError, InvalidArgumentError } = await import("../provider");
  let resolved: ReturnType<typeof resolveConfig>;
  try {
    resolved = resolveConfig({ args: settingsFromFlags(g), env: io.env });
  } catch (e) {
    // The CLI takes no credentials as flags (they would land in shell history): do not suggest it.
    if (e instanceof ConfigError) throw new ConfigError(e.message.replace(/\n\s*- arguments \([^\n]*\)/, ""), e.setting, { cause: e.cause });
    throw e;
  }
  const logger = g.verbose ? (e: RequestLogEvent) => io.stderr.write(`${formatLogEvent(e)}\n`) : undefined;
  if (g.verbose) {
    const shown = resolved.toJSON();
    const lines = Object.entries(resolved.provenance).map(([field, from]) => {
      const value = field in shown ? shown[field] : (shown.endpoints as Record<string, unknown> | undefined)?.[field.replace(/^endpoints\./, "")];
      const text = HIDDEN.has(field)
        ? "[redacted]"
        : typeof value === "string" && value.includes("-----BEGIN")
          ? "(PEM)"
          : JSON.stringify(value ?? "[redacted]");
      return `otc-jobs: config ${field} = ${text} from ${from}`;
    });
    io.stderr.write(`${[`otc-jobs: config auth = ${resolved.authKind}`, ...lines].join("\n")}\n`);
  }
  try {
    const client = new ClientClass(resolved.clientOptions({ ...(logger ? { logger } : {}), ...extra }));
    return { client, provenance: resolved.provenance };
  } catch (e) {
    // A setting broke a rule (projectId not 32-hex, region malformed): say which flag or variable to fix.
    if (e instanceof InvalidArgumentError) {
      throw new UsageError(undefined, `${describeSetting(e.argument, resolved.provenance)}: ${e.detail}`);
    }
    throw e;
  }
}
