/**
 * A local emulator of the OTC / Huawei Cloud DDM, DDS and DRS job APIs and IAM tokens.
 *
 *   const emu = await startEmulator({ seed: 7, clock: "manual" });
 *   // emu.endpoints.ddm, emu.gateway + "/ddm", emu.token, emu.admin.advance(60_000), ...
 *   await emu.close();
 */
import { Admin, type EmulatorAdmin } from "./admin";
import { createContext } from "./context";
import type { EmulatorAccessKey } from "./aksk";
import { resolveOptions, type EmulatorOptions } from "./options";
import { startServers } from "./server";

export type { EmulatorAdmin, JobView } from "./admin";
export type { AuthEnv, AuthRequest, AuthResult, Authenticator, Principal } from "./auth";
export { authenticate, tokenAuthenticator } from "./auth";
export { defaultAuthenticators } from "./options";
export type { EmulatorAccessKey } from "./aksk";
export { akskAuthenticator, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SDK_DATE_WINDOW_MS } from "./aksk";
export type { AddJobInput, JobTimelineInput } from "./data/input";
export type { DdmJobDetail, DdmJobItem } from "./data/ddm";
export type { DdsJobDetail, DdsJobItem } from "./data/dds";
export type { DrsChildInfo, DrsJobAction, DrsJobInfo } from "./data/drs";
export type { ShapeOptions } from "./data/shapes";
export type { FaultConfig, ScriptStep } from "./faults";
export type { ThrottleConfig } from "./throttle";
export type { ServiceKey, ServiceName } from "./names";
export type { EmulatorOptions, EmulatorUser } from "./options";
export { DEFAULT_PROJECT_ID, DEFAULT_TOKEN, DEFAULT_USER } from "./options";
export type { AuthCounts, EmulatorStats, FaultCounts } from "./stats";

export interface RunningEmulator {
  /** Per-service base URLs, e.g. "http://127.0.0.1:41234" (no trailing slash). */
  endpoints: { ddm: string; dds: string; drs: string; iam: string };
  /** `${gateway}/ddm|dds|drs|iam` reach the services; `${gateway}/admin/...` is the admin API. */
  gateway: string;
  projectId: string;
  /** IAM project name (`GET /v3/projects?name=` resolves it to `projectId`). */
  projectName: string;
  token: string;
  /** The AK/SK pairs accepted in signatures (copies); the first is the default pair unless `accessKeys` was given. */
  accessKeys: EmulatorAccessKey[];
  admin: EmulatorAdmin;
  /** Closes every listener and socket (keep-alive ones too) and cancels pending delays. */
  close(): Promise<void>;
}

export async function startEmulator(opts?: EmulatorOptions): Promise<RunningEmulator> {
  const ctx = createContext(resolveOptions(opts));
  const admin = new Admin(ctx);
  const listening = await startServers(ctx, admin);
  return {
    endpoints: listening.endpoints,
    gateway: listening.gateway,
    projectId: ctx.options.projectId,
    projectName: ctx.options.projectName,
    token: ctx.options.token,
    accessKeys: ctx.options.accessKeys.map((k) => ({ ...k })),
    admin,
    close: listening.close,
  };
}
