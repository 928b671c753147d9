import {
  checkGateInputs,
  diffGateInputs,
  DIFFED_GATE_INPUTS,
  GATE_INPUT_KEYS,
  parseGateInputs,
  UNKNOWN,
  wrapSecret,
} from "../../provider/gate";
import { gateInputsSchema } from "../../provider/gate/schema";
import type { z } from "zod";
import { InvalidArgumentError, OtcJobsError } from "../../provider";
import type { GateInputs } from "../../provider/gate";

describe(checkGateInputs.name, () => {
  it("accepts unknowns anywhere: a whole input, list elements, nested fields, every input at once", () => {
    expect(checkGateInputs(UNKNOWN)).toEqual([]);
    expect(checkGateInputs({ service: UNKNOWN, jobIds: UNKNOWN, timeout: UNKNOWN, minJobs: UNKNOWN })).toEqual([]);
    expect(checkGateInputs({ service: "ddm", jobIds: [UNKNOWN, UNKNOWN] })).toEqual([]);
    expect(checkGateInputs({ service: "dds", instanceId: UNKNOWN, name: [UNKNOWN, "RestartInstance"], connection: { region: UNKNOWN, projectId: "p" } })).toEqual([]);
    expect(checkGateInputs({ service: UNKNOWN, instanceId: "i-1", dbUseType: "sync" })).toEqual([]);
    const everything = Object.fromEntries(GATE_INPUT_KEYS.map((k) => [k, UNKNOWN]));
    expect(checkGateInputs(everything)).toEqual([]);
  });

  it("still judges what is known beside unknowns, naming the input and the element", () => {
    expect(checkGateInputs({ service: "s3", jobIds: [UNKNOWN] })).toEqual([{ property: "service", reason: '"s3" is not a service; use ddm, dds or drs' }]);
    expect(checkGateInputs({ service: "ddm", jobIds: [UNKNOWN, "not an id!"] })).toEqual([
      { property: "jobIds[1]", reason: "must be a job id (letters, digits and dashes)" },
    ]);
    expect(checkGateInputs({ service: "ddm", jobIds: ["a"], connection: { region: UNKNOWN, regoin: "eu-de" } })).toEqual([
      { property: "connection", reason: "regoin: not a field of connection" },
    ]);
    expect(checkGateInputs({ service: "ddm", jobIds: [UNKNOWN], instanceId: "i-1" })).toEqual([
      { property: "jobIds", reason: "select jobs either by jobIds or by filters (instanceId), not both" },
    ]);
    // Either may still resolve to nothing: not judged until known.
    expect(checkGateInputs({ service: "ddm", jobIds: UNKNOWN, instanceId: "i-1" })).toEqual([]);
  });

  it("names bad known inputs and unknown input names", () => {
    const f = checkGateInputs({ service: "ddm", jobIds: ["abc"], minJobs: "3", timeout: "soon", targetPhases: ["done"], jobsIds: ["x"] });
    expect(f).toEqual(
      expect.arrayContaining([
        { property: "jobsIds", reason: expect.stringMatching(/^is not a JobGate input \(inputs: service, jobIds, /) },
        { property: "minJobs", reason: "must be a number" },
        { property: "timeout", reason: '"soon" is not a duration like 90s, 10m or 2h (how long to wait before failing)' },
        { property: "targetPhases[0]", reason: '"done" is not a phase; use one of pending, running, waiting, succeeded, failed, canceled, unknown' },
      ]),
    );
    expect(checkGateInputs({ jobIds: ["a"] })).toEqual([{ property: "service", reason: "is required; use ddm, dds or drs" }]);
  });

  it("reads through wrapped secrets and ignores the fields Pulumi adds", () => {
    expect(checkGateInputs({ service: "ddm", jobIds: ["a"], credentials: wrapSecret({ token: "t" }), __provider: "exports.handler = ...", jobs: undefined })).toEqual([]);
    expect(checkGateInputs({ service: "ddm", jobIds: ["a"], credentials: wrapSecret({ tokn: "t" }) })).toEqual([
      { property: "credentials", reason: "tokn: not a field of credentials" },
    ]);
  });
});

describe(parseGateInputs.name, () => {
  it("throws an OtcJobsError naming every failure, and refuses inputs still unknown", () => {
    const bad = () => parseGateInputs({ service: "s3", timeout: "soon", jobIds: ["a"] });
    expect(bad).toThrow(InvalidArgumentError);
    expect(bad).toThrow('JobGate inputs: service: "s3" is not a service; use ddm, dds or drs; timeout: "soon" is not a duration');
    try {
      parseGateInputs({ service: "ddm", jobIds: [UNKNOWN] });
      throw new Error("expected a throw");
    } catch (e) {
      expect(e).toBeInstanceOf(OtcJobsError);
      expect((e as OtcJobsError).code).toBe("OTCJOBS_INVALID_ARGUMENT");
      expect((e as Error).message).toContain("jobIds: is not known yet");
    }
  });
});

describe(diffGateInputs.name, () => {
  const base = { service: "ddm", jobIds: ["a"] };
  it("compares exactly the schema's inputs except secrets", () => {
    expect(DIFFED_GATE_INPUTS).toEqual(Object.keys(gateInputsSchema.shape).filter((k) => k !== "credentials"));
    for (const key of DIFFED_GATE_INPUTS) {
      expect(diffGateInputs(base, { ...base, [key]: key === "service" ? "dds" : "changed" }).changed).toContain(key);
    }
    expect(diffGateInputs(base, { ...base, credentials: wrapSecret({ token: "new" }) })).toEqual({ changes: false, changed: [], replaces: [] });
  });

  it("reports unknown news as a change, replacing when the selection is unknown", () => {
    expect(diffGateInputs(base, { service: UNKNOWN, jobIds: ["a"] })).toEqual({ changes: true, changed: ["service"], replaces: ["service"] });
    expect(diffGateInputs(base, { service: "ddm", jobIds: [UNKNOWN] })).toEqual({ changes: true, changed: ["jobIds"], replaces: ["jobIds"] });
    expect(diffGateInputs(base, { ...base, timeout: UNKNOWN })).toEqual({ changes: true, changed: ["timeout"], replaces: [] });
  });
});

// The written-out input type equals the schema's input type, both ways (a compile-time check).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameInputs: Equal<GateInputs, z.input<typeof gateInputsSchema>> = true;
void sameInputs;
