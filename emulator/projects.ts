/**
 * The emulated account: several projects in two regions, as IAM `GET /v3/auth/projects` lists them
 * on OTC (a region's default project is named after the region, sub-projects `{region}_{name}`, and
 * OBS's built-in `MOS` belongs to no region). The primary project is the emulator's `projectId` /
 * `projectName` and holds the jobs the admin API manages; every other service project has its own
 * seeded jobs (a quarter of the primary's count per service), generated on first use so an emulator
 * started for a benchmark pays nothing for them. Same seed, same ids and jobs.
 */
import { createHash } from "node:crypto";
import { jobCollection } from "./data/collection";
import { ddmItem, ddmJobFromInput, generateDdmJobs } from "./data/ddm";
import { ddsItem, ddsJobFromInput, generateDdsJobs } from "./data/dds";
import { drsInfo, drsJobFromInput, generateDrsJobs } from "./data/drs";
import type { ResolvedOptions } from "./options";
import { hashSeed, Rng } from "./random";

/** The account's project names besides the primary (which replaces the one of the same name). */
export const ACCOUNT_PROJECT_NAMES = ["eu-de", "eu-de_analytics", "eu-nl", "eu-nl_payments", "MOS"] as const;

export interface EmulatedProject {
  id: string;
  name: string;
  /** The region its name implies; undefined for `MOS`. */
  region?: string;
  /** The region project for a sub-project, else the domain. */
  parentId: string;
  /** Whether DDM, DDS and DRS serve it (`MOS` is OBS's: they answer as for an unknown project). */
  services: boolean;
  primary: boolean;
}

export interface Account {
  domainId: string;
  projects: readonly EmulatedProject[];
  /** A project the services serve, by id. */
  serviceProject(id: string): EmulatedProject | undefined;
  /** Any listed project, by id or by name. */
  find(by: { id?: string; name?: string }): EmulatedProject | undefined;
  /** The context a service handler sees for a project: the shared one with that project's jobs and ids. */
  contextFor<C extends ProjectContext>(base: C, project: EmulatedProject): C;
}

export function stableHexId(...parts: Array<string | number>): string {
  return createHash("sha256").update(parts.join("/")).digest("hex").slice(0, 32);
}

function regionOf(name: string): string | undefined {
  const head = name.split("_", 1)[0] ?? "";
  return /^[a-z]{2}(-[a-z0-9]+)+$/.test(head) ? head : undefined;
}

/** What `contextFor` replaces in an emulator context (structural, so this module need not import it). */
export interface ProjectContext {
  options: ResolvedOptions;
  jobs: ProjectJobs;
}

export type ProjectJobs = ReturnType<typeof seededJobs>;

function seededJobs(options: ResolvedOptions, name: string) {
  const { seed, now } = options;
  const rng = (label: string): Rng => new Rng(hashSeed(seed, `project:${name}`, label));
  const count = (n: number): number => Math.ceil(n / 4);
  return {
    ddm: jobCollection(generateDdmJobs(rng("ddm"), count(options.jobs.ddm), now), rng("ddm-added"), ddmJobFromInput, ddmItem),
    dds: jobCollection(generateDdsJobs(rng("dds"), count(options.jobs.dds), now), rng("dds-added"), ddsJobFromInput, ddsItem),
    drs: jobCollection(generateDrsJobs(rng("drs"), count(options.jobs.drs), now), rng("drs-added"), drsJobFromInput, drsInfo),
  };
}

export function createAccount(options: ResolvedOptions, domainId: string): Account {
  const names = [options.projectName, ...ACCOUNT_PROJECT_NAMES.filter((n) => n !== options.projectName)];
  const idOf = (name: string): string => (name === options.projectName ? options.projectId : stableHexId("project", options.seed, name));
  const projects: EmulatedProject[] = names.map((name) => {
    const region = regionOf(name);
    const parent = region !== undefined && region !== name && names.includes(region) ? idOf(region) : domainId;
    return {
      id: idOf(name),
      name,
      ...(region !== undefined ? { region } : {}),
      parentId: parent,
      services: region !== undefined || name === options.projectName,
      primary: name === options.projectName,
    };
  });
  const contexts = new Map<string, ProjectContext>();
  return {
    domainId,
    projects,
    serviceProject: (id) => projects.find((p) => p.id === id && p.services),
    find: ({ id, name }) => projects.find((p) => (id !== undefined ? p.id === id : p.name === name)),
    contextFor<C extends ProjectContext>(base: C, project: EmulatedProject): C {
      if (project.primary) return base;
      let ctx = contexts.get(project.id) as C | undefined;
      if (!ctx) {
        ctx = { ...base, options: { ...base.options, projectId: project.id, projectName: project.name }, jobs: seededJobs(base.options, project.name) };
        contexts.set(project.id, ctx);
      }
      return ctx;
    },
  };
}
