/**
 * The one job record shared by the waiter, the gate, the CLI and the plugin: a flat shape for the
 * three services, the same in every output format, so scripts can rely on it. Every field is a
 * string ("" when the service has no value); the service-specific job types keep the API's names.
 */
import type { ServiceName } from "./errors";
import type { Phase } from "./jobs";
import type { DdmJob } from "./services/ddm";
import type { DdsJob } from "./services/dds";
import type { DrsJob } from "./services/drs";

/** The fields of `JobRecord`, in the order every output shows them. */
export const RECORD_FIELDS = [
  "service",
  "id",
  "name",
  "status",
  "phase",
  "created",
  "ended",
  "progress",
  "instanceId",
  "instanceName",
  "dbUseType",
  "failReason",
] as const;

export type RecordField = (typeof RECORD_FIELDS)[number];

export interface JobRecord {
  service: ServiceName;
  id: string;
  /** The task name (DDM migrateLogicDb, DDS CreateMongoDB, DRS DRS-3999-lws). */
  name: string;
  /** The API's status, verbatim. */
  status: string;
  phase: Phase;
  /** ISO-8601 UTC (DDM created_time, DDS created_at, DRS create_time); "" when unknown. */
  created: string;
  /** ISO-8601 UTC or "" (DDM end_time, DDS ended_at; DRS reports none). */
  ended: string;
  /** "60%" while running, else "" (DDM process, DDS progress; DRS none). */
  progress: string;
  /** DDM/DDS instance id; "" for DRS. */
  instanceId: string;
  /** DDM/DDS instance name; "" for DRS. */
  instanceName: string;
  /** DRS migration | sync | cloudDataGuard; "" otherwise. */
  dbUseType: string;
  /** DDM/DDS fail_reason, DRS error_msg; "" unless failed. */
  failReason: string;
  /**
   * What the reader could not read of this job (a missing id or status, a time naming no date), when
   * anything; not one of `RECORD_FIELDS`. A job without a status reads as phase `unknown`: a waiter
   * keeps waiting on it and names these when it gives up.
   */
  problems?: readonly string[];
}

export function ddmRecord(j: DdmJob): JobRecord {
  return {
    service: "ddm",
    id: j.id,
    name: j.name,
    status: j.status,
    phase: j.phase,
    created: j.createdTime,
    ended: j.endTime,
    progress: j.process,
    instanceId: j.instanceId,
    instanceName: j.instanceName,
    dbUseType: "",
    failReason: j.failReason,
    ...(j.problems ? { problems: j.problems } : {}),
  };
}

export function ddsRecord(j: DdsJob): JobRecord {
  return {
    service: "dds",
    id: j.id,
    name: j.name,
    status: j.status,
    phase: j.phase,
    created: j.createdAt,
    ended: j.endedAt,
    progress: j.progress,
    instanceId: j.instanceId,
    instanceName: j.instanceName,
    dbUseType: "",
    failReason: j.failReason,
    ...(j.problems ? { problems: j.problems } : {}),
  };
}

export function drsRecord(j: DrsJob): JobRecord {
  return {
    service: "drs",
    id: j.id,
    name: j.name,
    status: j.status,
    phase: j.phase,
    created: j.createTime,
    ended: "",
    progress: "",
    instanceId: "",
    instanceName: "",
    dbUseType: j.dbUseType,
    failReason: j.errorMsg,
    ...(j.problems ? { problems: j.problems } : {}),
  };
}

/** Newest first; ties by service, then id, so the order is stable from run to run. */
export function newestFirst(a: JobRecord, b: JobRecord): number {
  return b.created.localeCompare(a.created) || a.service.localeCompare(b.service) || a.id.localeCompare(b.id);
}
