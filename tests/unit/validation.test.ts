import { createClient, InvalidArgumentError, listDdmJobs, listDdsJobs, listDrsJobs, getDdmJob, getDdsJob, ConfigError } from "../../provider";
import { spyAuth } from "../helpers/spy-auth";

const projectId = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";
// Port 9 (discard) on loopback: were a request sent, it would fail with a network error instead.
const auth = spyAuth();
const client = createClient({ projectId, auth, endpoint: "http://127.0.0.1:9", retry: { maxRetries: 0 } });
afterAll(() => client.close());

async function rejection(p: Promise<unknown>): Promise<InvalidArgumentError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidArgumentError);
  return err as InvalidArgumentError;
}

describe("input validation happens before any request", () => {
  afterEach(() => expect(auth.calls).toBe(0));

  it.each([
    ["DDM window older than 30 days", () => listDdmJobs(client, { startTime: "45d" }), "startTime", /window starts 45 days ago; DDM keeps 30d: move startTime after/],
    ["DDM page size over 128", () => listDdmJobs(client, { pageSize: 129 }), "pageSize", /must be from 1 to 128/],
    ["DDM page size fractional", () => listDdmJobs(client, { pageSize: 2.5 }), "pageSize", /whole number from 1 to 128/],
    ["DDM unknown status", () => listDdmJobs(client, { status: "Runing" }), "status", /"Runing" is not a DDM status; use one of Running, Completed/],
    ["DDM end before start", () => listDdmJobs(client, { startTime: "1h", endTime: "2h" }), "startTime", /must be before endTime/],
    ["DDM typo in an argument name", () => listDdmJobs(client, { starTime: "1d" } as never), "starTime", /is not an argument of listDdmJobs \(known: startTime, endTime/],
    ["DDM epoch seconds", () => listDdmJobs(client, { startTime: 1_763_000_000 }), "startTime", /looks like epoch seconds/],
    ["DDM maxItems zero", () => listDdmJobs(client, { maxItems: 0 }), "maxItems", /must be from 1 to 1000000/],
    ["DDS span over 30 days", () => listDdsJobs(client, { startTime: "40d", endTime: "5d" }), "startTime", /window spans 35.0 days; DDS accepts at most 30d/],
    ["DDS page size over 100", () => listDdsJobs(client, { pageSize: 101 }), "pageSize", /must be from 1 to 100/],
    ["DDS unknown status", () => listDdsJobs(client, { status: ["Completed", "Done"] }), "status[1]", /"Done" is not a DDS status/],
    ["DDS empty status list", () => listDdsJobs(client, { status: [] }), "status", /must not be an empty list/],
    ["DRS bad engine without dbUseType (all scenarios)", () => listDrsJobs(client, { engineType: "oracle" }), "engineType", /"oracle" is not a DRS engine type/],
    ["DRS bad dbUseType", () => listDrsJobs(client, { dbUseType: "backup" as never }), "dbUseType", /"backup" is not a DRS db_use_type; use one of migration, sync, cloudDataGuard/],
    ["DRS bad engine", () => listDrsJobs(client, { dbUseType: "sync", engineType: "oracle" }), "engineType", /"oracle" is not a DRS engine type/],
    ["DRS per page over 100", () => listDrsJobs(client, { dbUseType: "sync", pageSize: 500 }), "pageSize", /must be from 1 to 100/],
    ["DRS bad tag key", () => listDrsJobs(client, { dbUseType: "sync", tags: { "bad key": "v" } }), "tags.bad key", /tag keys are 1-36 characters/],
    ["DRS unknown status", () => listDrsJobs(client, { dbUseType: "sync", status: "DONE" }), "status", /"DONE" is not a DRS status/],
    ["DDM job id with a slash", () => getDdmJob(client, "../x"), "jobId", /must be a job id/],
    ["DDS job id empty", () => getDdsJob(client, ""), "jobId", /must be a job id/],
  ])("%s", async (_label, call, argument, message) => {
    const err = await rejection(call());
    expect(err.argument).toBe(argument);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${argument}: `)).toBe(true);
  });
});

describe("client options", () => {
  it("name the bad option", () => {
    expect(() => createClient({ projectId: "my-project", token: "t" })).toThrow(
      "projectId: must be the project's id: 32 hex characters",
    );
    // An id pasted in upper case is the same project.
    expect(createClient({ projectId: projectId.toUpperCase(), token: "t" }).toJSON().projectId).toBe(projectId);
    expect(() => createClient({ projectId, token: "t", concurrency: 0 })).toThrow("concurrency: must be from 1 to 64");
    expect(() => createClient({ projectId, token: "t", region: "Frankfurt" })).toThrow(/^region: must be a region name/);
  });

  it("refuse plain http to a remote host, even with insecure (which only skips certificate checks)", () => {
    expect(() => createClient({ projectId, token: "t", endpoint: "http://ddm.example.com" })).toThrow(ConfigError);
    expect(() => createClient({ projectId, token: "t", endpoint: "http://ddm.example.com" })).toThrow(
      /plain http:\/\/ to ddm.example.com would send credentials unencrypted/,
    );
    expect(() => createClient({ projectId, token: "t", endpoint: "http://ddm.example.com", insecure: true })).toThrow(/plain http:\/\/ to ddm.example.com/);
  });

  it("say how to provide a missing endpoint", async () => {
    const bare = createClient({ projectId, token: "t" });
    await expect(listDdmJobs(bare)).rejects.toThrow(/no endpoint for DDM: set region \(with cloud otc\), endpoints.ddm/);
    await bare.close();
  });

  it("never show the token", () => {
    const c = createClient({ projectId, token: "super-secret-token", region: "eu-de" });
    expect(JSON.stringify(c)).not.toContain("super-secret-token");
    expect(require("node:util").inspect(c, { depth: 10 })).not.toContain("super-secret-token");
    void c.close();
  });
});
