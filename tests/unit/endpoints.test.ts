import { resolveEndpoints } from "../../provider/endpoints";

describe("resolveEndpoints", () => {
  it("builds OTC hosts per region, with the Swiss sc form", () => {
    expect(resolveEndpoints({ cloud: "otc", region: "eu-de" })).toEqual({
      ddm: "https://ddm.eu-de.otc.t-systems.com",
      dds: "https://dds.eu-de.otc.t-systems.com",
      drs: "https://drs.eu-de.otc.t-systems.com",
      iam: "https://iam.eu-de.otc.t-systems.com",
    });
    expect(resolveEndpoints({ cloud: "otc", region: "eu-ch2" })).toMatchObject({
      dds: "https://dds.eu-ch2.sc.otc.t-systems.com",
      iam: "https://iam-pub.eu-ch2.sc.otc.t-systems.com",
    });
  });

  it("builds Huawei Cloud hosts, with the .eu form", () => {
    expect(resolveEndpoints({ cloud: "huaweicloud", region: "ap-southeast-1" })).toEqual({
      ddm: "https://ddm.ap-southeast-1.myhuaweicloud.com",
      dds: "https://dds.ap-southeast-1.myhuaweicloud.com",
      drs: "https://drs.ap-southeast-1.myhuaweicloud.com",
      iam: "https://iam.myhuaweicloud.com",
    });
    expect(resolveEndpoints({ cloud: "huaweicloud", region: "eu-west-101" }).drs).toBe("https://drs.eu-west-101.myhuaweicloud.eu");
  });

  it("lets one base URL and per-service overrides win", () => {
    expect(
      resolveEndpoints({ cloud: "otc", region: "eu-de", base: "http://127.0.0.1:9000/", overrides: { drs: "http://127.0.0.1:9001" } }),
    ).toEqual({
      ddm: "http://127.0.0.1:9000/ddm",
      dds: "http://127.0.0.1:9000/dds",
      drs: "http://127.0.0.1:9001",
      iam: "http://127.0.0.1:9000/iam",
    });
  });
});
