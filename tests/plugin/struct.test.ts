import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { encodeInvokeReturn, encodeStruct } from "../../plugin/struct";

const sample = {
  id: "getDdmJobs:1f2e",
  total: 3,
  ratio: -0.125,
  big: 2 ** 40 + 0.5,
  ok: true,
  no: false,
  nothing: null,
  skipped: undefined,
  text: "ünïcødé ✓ \u0000 end",
  empty: "",
  list: [1, "two", null, false, { nested: ["deep", { deeper: 1e-9 }] }, []],
  obj: {},
  jobs: Array.from({ length: 300 }, (_, i) => ({ id: `job-${i}`, name: "migrateLogicDb".repeat(i % 3), phase: "succeeded", n: i })),
};

describe(encodeStruct.name, () => {
  it("decodes with google-protobuf to the same value as its own encoder's", () => {
    const ours = Struct.deserializeBinary(encodeStruct(sample)).toJavaScript();
    const theirs = Struct.fromJavaScript(JSON.parse(JSON.stringify(sample))).toJavaScript();
    expect(ours).toEqual(theirs);
  });

  it("frames an InvokeResponse with the struct as its return", () => {
    const res = pb.InvokeResponse.deserializeBinary(encodeInvokeReturn(sample));
    expect(res.getFailuresList()).toEqual([]);
    expect(res.getReturn()!.toJavaScript()).toEqual(JSON.parse(JSON.stringify(sample)));
  });
});
