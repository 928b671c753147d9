import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { ConfigError, resolveConfig } from "../../provider";

const PID = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";

function cloudsYaml(body: string, secure?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "otcjobs-clouds-"));
  writeFileSync(join(dir, "clouds.yaml"), body);
  if (secure) writeFileSync(join(dir, "secure.yaml"), secure);
  return join(dir, "clouds.yaml");
}

const YAML = cloudsYaml(
  `clouds:
  otc:
    region_name: eu-nl
    auth:
      auth_url: https://iam.eu-nl.otc.t-systems.com/v3
      username: yaml-user
      user_domain_name: OTC00000000001000000001
      project_name: eu-nl
`,
  `clouds:
  otc:
    auth:
      password: yaml-password
`,
);

describe("resolveConfig precedence", () => {
  it("arguments > Pulumi config > environment > clouds.yaml, field by field", () => {
    const r = resolveConfig({
      args: { region: "eu-de" },
      pulumi: { projectId: PID, region: "eu-nl" },
      env: { OS_AUTH_TOKEN: "env-token", OS_REGION_NAME: "eu-ch2", OS_PROJECT_NAME: "eu-ch2", OS_CLOUD: "otc" },
      cloudsYamlPaths: [YAML],
    });
    const o = r.clientOptions();
    expect(o).toMatchObject({ region: "eu-de", projectId: PID, projectName: "eu-ch2", token: "env-token" });
    expect(r.provenance).toMatchObject({
      region: "arguments",
      projectId: "Pulumi config (otcjobs:projectId)",
      projectName: "environment (OS_PROJECT_NAME)",
      token: "environment (OS_AUTH_TOKEN)",
    });
  });

  it("takes credentials as a set from the first source that has any", () => {
    const r = resolveConfig({
      args: { accessKey: "AKARG", secretKey: "sk-arg" },
      env: { OS_AUTH_TOKEN: "env-token", OS_PROJECT_ID: PID },
    });
    expect(r.authKind).toBe("aksk");
    expect(r.clientOptions()).not.toHaveProperty("token");
    expect(r.clientOptions()).toMatchObject({ accessKey: "AKARG", secretKey: "sk-arg" });
  });

  it("reads Huawei's HW_* names after OTC's OS_* ones", () => {
    const r = resolveConfig({ env: { HW_ACCESS_KEY: "AKHW", HW_SECRET_KEY: "skhw", HW_REGION_NAME: "ap-southeast-1", HW_PROJECT_ID: PID, OS_REGION_NAME: "eu-de" } });
    expect(r.clientOptions()).toMatchObject({ accessKey: "AKHW", region: "eu-de", projectId: PID });
    expect(r.provenance.accessKey).toBe("environment (HW_ACCESS_KEY)");
  });

  it("reads clouds.yaml (with secure.yaml) for OS_CLOUD, mapping auth_url to the IAM endpoint", () => {
    const r = resolveConfig({ env: { OS_CLOUD: "otc" }, cloudsYamlPaths: [YAML] });
    expect(r.authKind).toBe("password");
    expect(r.clientOptions()).toMatchObject({
      userName: "yaml-user",
      password: "yaml-password",
      domainName: "OTC00000000001000000001",
      region: "eu-nl",
      projectName: "eu-nl",
      endpoints: { iam: "https://iam.eu-nl.otc.t-systems.com" },
    });
  });

  it("reads the OTCJOBS_* endpoint variables", () => {
    const r = resolveConfig({
      env: { OS_TOKEN: "t", OS_PROJECT_ID: PID, OTCJOBS_ENDPOINT: "http://127.0.0.1:9000", OTCJOBS_DRS_ENDPOINT: "http://127.0.0.1:9001", OTCJOBS_CLOUD: "huaweicloud" },
    });
    expect(r.clientOptions()).toMatchObject({ endpoint: "http://127.0.0.1:9000", endpoints: { drs: "http://127.0.0.1:9001" }, cloud: "huaweicloud" });
  });

  it("names what is missing from an incomplete set", () => {
    expect(() => resolveConfig({ env: { OS_ACCESS_KEY: "AK" } })).toThrow(
      "incomplete credentials in environment: OS_ACCESS_KEY set but OS_SECRET_KEY/HW_SECRET_KEY missing",
    );
    expect(() => resolveConfig({ pulumi: { userName: "u" }, env: {} })).toThrow(
      "incomplete credentials in Pulumi config: otcjobs:userName set but otcjobs:password missing",
    );
  });

  it("a named cloud without a clouds.yaml is an error, not a silent fall-back to other credentials", () => {
    expect(() => resolveConfig({ env: { OS_CLOUD: "nope", OS_AUTH_TOKEN: "t" }, cloudsYamlPaths: ["/nonexistent/clouds.yaml"] })).toThrow(
      'cloud "nope" (environment (OS_CLOUD)) was asked for, but there is no clouds.yaml at /nonexistent/clouds.yaml',
    );
  });

  it("lists every place it looked when there are no credentials", () => {
    let message = "";
    try {
      resolveConfig({ args: {}, pulumi: {}, env: { OS_CLOUD: "prod" }, cloudsYamlPaths: ["/nonexistent/clouds.yaml"] });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        "no credentials found. Looked in:",
        "  - arguments (token, accessKey + secretKey, userName + password)",
        "  - Pulumi config (otcjobs:token, otcjobs:accessKey + otcjobs:secretKey, otcjobs:userName + otcjobs:password)",
        "  - environment (OS_AUTH_TOKEN/OS_TOKEN, OS_ACCESS_KEY/HW_ACCESS_KEY, OS_SECRET_KEY/HW_SECRET_KEY, OS_USERNAME, OS_PASSWORD)",
        "  - clouds.yaml for OS_CLOUD=prod: no file at /nonexistent/clouds.yaml",
      ].join("\n"),
    );
  });

  it("refuses an OS_CLOUD the file does not define", () => {
    expect(() => resolveConfig({ env: { OS_CLOUD: "nope" }, cloudsYamlPaths: [YAML] })).toThrow(`cloud "nope" (OS_CLOUD / osCloud) is not defined in ${YAML}`);
  });

  it("never shows a secret when printed or serialized", () => {
    const r = resolveConfig({ env: { OS_ACCESS_KEY: "AKPLAIN", OS_SECRET_KEY: "sk-s3cr3t", OS_SECURITY_TOKEN: "st-s3cr3t", OS_PROJECT_ID: PID } });
    for (const text of [JSON.stringify(r), inspect(r, { depth: 10 }), String(r)]) {
      expect(text).not.toContain("s3cr3t");
    }
    expect(JSON.stringify(r)).toContain("[redacted]");
  });
});
