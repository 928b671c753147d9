/**
 * `pulumi-otc-jobs/testing` as a user's jest test uses it: a program with a JobGate and a data source
 * runs under setMocks against the embedded emulator; the gate waits for real.
 */
import { gateId } from "../../provider/gate";
import * as pulumi from "@pulumi/pulumi";
import { startTestCloud, type TestCloud } from "../../sdk/testing";

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud({ emulator: { seed: 8 } });
});
afterAll(() => cloud.close());

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

it("runs a program's JobGate and data sources against the emulator", async () => {
  const job = cloud.emulator.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 600, outcome: "Completed" } });
  pulumi.runtime.setMocks(cloud.mocks(), "my-project", "test");
  // What a user's program does (inline here; usually `await import("../index")`).
  const { JobGate, getDdmJobOutput } = await import("../../sdk");
  const gate = new JobGate("migration", { service: "ddm", jobIds: [job.id] });
  const current = getDdmJobOutput({ jobId: job.id }, { dependsOn: [gate] });

  expect(await value(gate.summary)).toMatchObject({ total: 1, allFinished: true });
  expect(await value(gate.jobs)).toEqual([expect.objectContaining({ id: job.id, phase: "succeeded" })]);
  expect(await value(current.status)).toBe("Completed");
  expect(await value(gate.id)).toBe(gateId({ service: "ddm", jobIds: [job.id] }));
});

it("rejects a gate's bad inputs as check would", async () => {
  const mocks = cloud.mocks();
  await expect(
    mocks.newResource({ type: "pulumi-nodejs:dynamic/otcjobs:JobGate", name: "bad", inputs: { service: "s3", jobIds: ["a"] }, custom: true } as never),
  ).rejects.toThrow('JobGate bad: service: "s3" is not a service; use ddm, dds or drs');
});
