/**
 * The CLI's job record: one flat shape for the three services, the same in every output format,
 * so scripts can rely on it. Fields (all strings, "" when the service has no value):
 *
 *   service       ddm | dds | drs
 *   id            the job id
 *   name          the task name (DDM migrateLogicDb, DDS CreateMongoDB, DRS DRS-3999-lws)
 *   status        the API's status, verbatim
 *   phase         pending | running | waiting | succeeded | failed | canceled | unknown
 *   created       ISO-8601 UTC (DDM created_time, DDS created_at, DRS create_time)
 *   ended         ISO-8601 UTC or "" (DDM end_time, DDS ended_at; DRS reports none)
 *   progress      "60%" while running, else "" (DDM process, DDS progress; DRS none)
 *   instanceId    DDM/DDS instance id; "" for DRS
 *   instanceName  DDM/DDS instance name; "" for DRS
 *   dbUseType     DRS migration | sync | cloudDataGuard; "" otherwise
 *   failReason    DDM/DDS fail_reason, DRS error_msg; "" unless failed
 */
import type { DdmJob, DdsJob, DrsJob, Phase } from "../provider";
import type { Service } from "./options";

export const JOB_FIELDS = [
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

export interface CliJob {
  service: Service;
  id: string;
  name: string;
  status: string;
  phase: Phase;
  created: string;
  ended: string;
  progress: string;
  instanceId: string;
  instanceName: string;
  dbUseType: string;
  failReason: string;
}

export function fromDdm(j: DdmJob): CliJob {
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
  };
}

export function fromDds(j: DdsJob): CliJob {
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
  };
}

export function fromDrs(j: DrsJob): CliJob {
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
  };
}

/** Newest first; ties by service, then id, so the order is stable from run to run. */
export function newestFirst(a: CliJob, b: CliJob): number {
  return b.created.localeCompare(a.created) || a.service.localeCompare(b.service) || a.id.localeCompare(b.id);
}
