/**
 * The projects the credentials can see: IAM `GET /v3/auth/projects` ("Querying the List of Projects
 * Accessible to an IAM User"). OTC and Huawei Cloud name a region's default project after the region
 * (`eu-de`) and its sub-projects `{region}_{name}` (`eu-de_analytics`); other names (OBS's built-in
 * `MOS`) belong to no region, and their `region` is undefined.
 */
import { z } from "zod";
import type { Client } from "./client";
import { parseResponse } from "./validate";

/** One project as IAM lists it, with the region its name implies. */
export interface AccountProject {
  /** The 32-hex project id. */
  id: string;
  name: string;
  /** `eu-de` for `eu-de` and `eu-de_analytics`; undefined for a name that is no region's (`MOS`). */
  region?: string;
  /** IAM's `enabled` (true when IAM leaves it out). */
  enabled: boolean;
  domainId: string;
  /** The region project a sub-project hangs under, or the domain for a region project. */
  parentId: string;
  description: string;
}

const REGION_NAME = /^[a-z]{2}(-[a-z0-9]+)+$/;

/** The region a project name implies: the part before the first `_`, when it looks like a region. */
export function regionOfProject(name: string): string | undefined {
  const head = name.split("_", 1)[0] ?? "";
  return REGION_NAME.test(head) ? head : undefined;
}

/** Nullable text from IAM, read as a string ("" when absent or null). */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? "");

// Tolerant: extra fields pass, absent optional ones default; only id and name are required.
const projectsSchema = z.object({
  projects: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      enabled: z.boolean().nullish(),
      domain_id: text,
      parent_id: text,
      description: text,
    }),
  ),
});

/**
 * Every project the client's credentials may use, in IAM's order. Works with a token of any scope,
 * AK/SK or a password; one request (IAM does not page this list).
 */
export async function listAccountProjects(client: Client, opts: { signal?: AbortSignal } = {}): Promise<AccountProject[]> {
  const call = client.newCall("iam", "ListAuthProjects", opts.signal, Math.min(client.deadlineMs, 60_000));
  const res = await client.send({ method: "GET", url: client.url("iam", "/v3/auth/projects") }, call);
  const { projects } = parseResponse(projectsSchema, res.json, "iam", "ListAuthProjects");
  return projects.map((p) => {
    const region = regionOfProject(p.name);
    return {
      id: p.id,
      name: p.name,
      ...(region !== undefined ? { region } : {}),
      enabled: p.enabled ?? true,
      domainId: p.domain_id,
      parentId: p.parent_id,
      description: p.description,
    };
  });
}
