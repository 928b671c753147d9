import { ConfigError, type ApiName } from "./errors";

export const CLOUDS = ["otc", "huaweicloud"] as const;
export type CloudName = (typeof CLOUDS)[number];
export type Endpoints = Record<ApiName, string>;

/** Regions whose services answer under `sc.otc.t-systems.com` (the Swiss sovereign cloud). */
const OTC_SWISS_REGIONS = new Set(["eu-ch2"]);

/** Huawei regions served from `myhuaweicloud.eu` rather than `.com`. */
function isHuaweiEuRegion(region: string): boolean {
  return /^eu-west-1\d\d$/.test(region);
}

/**
 * The public endpoint of each API for a cloud and region, following each cloud's host pattern
 * (api-spec.md section 6). Per-service overrides and `base` (one URL for all, used by the
 * emulator: `${base}/ddm`) take precedence.
 */
export function resolveEndpoints(opts: {
  cloud: CloudName;
  region?: string;
  base?: string;
  overrides?: Partial<Record<ApiName, string>>;
}): Partial<Endpoints> {
  const out: Partial<Endpoints> = {};
  for (const api of ["ddm", "dds", "drs", "iam"] as const) {
    const url = opts.overrides?.[api] ?? (opts.base ? `${opts.base.replace(/\/+$/, "")}/${api}` : defaultEndpoint(opts.cloud, api, opts.region));
    if (url) out[api] = url.replace(/\/+$/, "");
  }
  return out;
}

function defaultEndpoint(cloud: CloudName, api: ApiName, region: string | undefined): string | undefined {
  if (cloud === "otc") {
    if (!region) return undefined;
    if (OTC_SWISS_REGIONS.has(region)) {
      return api === "iam" ? `https://iam-pub.${region}.sc.otc.t-systems.com` : `https://${api}.${region}.sc.otc.t-systems.com`;
    }
    return `https://${api}.${region}.otc.t-systems.com`;
  }
  if (region && isHuaweiEuRegion(region)) return `https://${api}.${region}.myhuaweicloud.eu`;
  if (api === "iam") return "https://iam.myhuaweicloud.com";
  return region ? `https://${api}.${region}.myhuaweicloud.com` : undefined;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Checks an endpoint URL. Plain `http://` would send tokens, passwords and signatures in clear text,
 * so it is accepted only for loopback (the emulator). `insecure` (clouds.yaml `verify: false`) skips
 * TLS certificate checks; it never permits plain http to another host.
 */
export function checkEndpoint(api: ApiName, url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`endpoints.${api}: "${url}" is not a URL (expected e.g. https://${api}.eu-de.otc.t-systems.com)`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigError(`endpoints.${api}: only https:// URLs are supported, got ${parsed.protocol}`);
  }
  if (parsed.protocol === "http:" && !LOOPBACK.test(parsed.hostname)) {
    throw new ConfigError(
      `endpoints.${api}: plain http:// to ${parsed.hostname} would send credentials unencrypted; use https:// ` +
        "(plain http is for the loopback emulator only; insecure/verify: false only skips certificate checks)",
      `endpoints.${api}`,
    );
  }
  if (parsed.search || parsed.hash) throw new ConfigError(`endpoints.${api}: must not carry a query or fragment`);
  return parsed;
}
