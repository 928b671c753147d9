/**
 * The environment that points the CLI, `createClientFromEnv` and Pulumi's env fallback at a running
 * emulator, as shell lines for `eval "$(otc-jobs emulator --print-env)"`. It names an access key, not
 * the static token: an access key reaches every project of the emulated account (a token is scoped to
 * one), so `list --all-projects` works too. Variables that would win over the key are unset.
 */
export interface EmulatorEnvSource {
  gateway: string;
  projectId: string;
  accessKeys: ReadonlyArray<{ accessKey: string; secretKey: string; securityToken?: string }>;
  token: string;
}

/** Credentials that take precedence over an access key, or would be signed along with it. */
export const SHADOWING_VARIABLES = ["OS_AUTH_TOKEN", "OS_TOKEN", "OS_SECURITY_TOKEN", "HW_SECURITY_TOKEN"] as const;

export function emulatorEnv(e: EmulatorEnvSource): Record<string, string> {
  const key = e.accessKeys[0];
  return {
    OTCJOBS_ENDPOINT: e.gateway,
    OS_PROJECT_ID: e.projectId,
    ...(key
      ? { OS_ACCESS_KEY: key.accessKey, OS_SECRET_KEY: key.secretKey, ...(key.securityToken ? { OS_SECURITY_TOKEN: key.securityToken } : {}) }
      : { OS_AUTH_TOKEN: e.token }),
  };
}

/** POSIX single-quoting when a value needs it. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `unset ...` then one `export NAME=value` per variable (bash, zsh, dash, ksh). */
export function exportLines(vars: Record<string, string>): string[] {
  const unset = SHADOWING_VARIABLES.filter((v) => !(v in vars));
  return [...(unset.length ? [`unset ${unset.join(" ")}`] : []), ...Object.entries(vars).map(([k, v]) => `export ${k}=${shellQuote(v)}`)];
}
