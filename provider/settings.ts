/**
 * The settings a user can give, and every name each goes by: the argument, the `otcjobs:` stack
 * config key, the environment variables. Imports nothing, so any layer (and the CLI at start) can
 * name a setting the way the user set it.
 */
/** Everything a user can set, by whatever means (arguments, `otcjobs:*` Pulumi config, env, clouds.yaml). */
export interface Settings {
  cloud?: string;
  region?: string;
  projectId?: string;
  projectName?: string;
  token?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  userName?: string;
  password?: string;
  domainName?: string;
  /** IAM URL, with or without the trailing `/v3` (as in `OS_AUTH_URL`). */
  authUrl?: string;
  /** One base URL for all services (`{endpoint}/ddm`, ...): the emulator's gateway. */
  endpoint?: string;
  endpoints?: { ddm?: string; dds?: string; drs?: string; iam?: string };
  insecure?: boolean;
  /** A CA bundle: a file path, or PEM text. */
  cacert?: string;
  /** The clouds.yaml entry to read (else `OS_CLOUD`). */
  osCloud?: string;
}

export type Field = Exclude<keyof Settings, "endpoints">;

/** Fields that are secrets: never printed, never stored in the clear. */
export const SECRET_FIELDS: readonly Field[] = ["token", "password", "secretKey", "securityToken"];

/** Environment variables per field, first match wins: OTC's Terraform names (`OS_*`), then Huawei's (`HW_*`). */
export const ENVIRONMENT: Record<Field | `endpoints.${"ddm" | "dds" | "drs" | "iam"}`, string[]> = {
  cloud: ["OTCJOBS_CLOUD"],
  region: ["OS_REGION_NAME", "HW_REGION_NAME"],
  projectId: ["OS_PROJECT_ID", "OS_TENANT_ID", "HW_PROJECT_ID"],
  projectName: ["OS_PROJECT_NAME", "OS_TENANT_NAME"],
  token: ["OS_AUTH_TOKEN", "OS_TOKEN"],
  accessKey: ["OS_ACCESS_KEY", "HW_ACCESS_KEY"],
  secretKey: ["OS_SECRET_KEY", "HW_SECRET_KEY"],
  securityToken: ["OS_SECURITY_TOKEN", "HW_SECURITY_TOKEN"],
  userName: ["OS_USERNAME"],
  password: ["OS_PASSWORD"],
  domainName: ["OS_DOMAIN_NAME", "OS_USER_DOMAIN_NAME"],
  authUrl: ["OS_AUTH_URL"],
  endpoint: ["OTCJOBS_ENDPOINT"],
  insecure: ["OS_INSECURE"],
  cacert: ["OS_CACERT"],
  osCloud: ["OS_CLOUD"],
  "endpoints.ddm": ["OTCJOBS_DDM_ENDPOINT"],
  "endpoints.dds": ["OTCJOBS_DDS_ENDPOINT"],
  "endpoints.drs": ["OTCJOBS_DRS_ENDPOINT"],
  "endpoints.iam": ["OTCJOBS_IAM_ENDPOINT"],
};

/** `projectId (OS_PROJECT_ID, OS_TENANT_ID, HW_PROJECT_ID, otcjobs:projectId)`: a setting by all its names. */
export function settingNames(field: keyof typeof ENVIRONMENT): string {
  const stackKey = field.startsWith("endpoints.") ? "otcjobs:endpoints" : `otcjobs:${field}`;
  return `${field} (${[...ENVIRONMENT[field], stackKey].join(", ")})`;
}
