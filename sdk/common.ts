import type * as pulumi from "@pulumi/pulumi";
import type { ProviderSettings } from "./settings";

/** Settings every function accepts to override the `otcjobs:*` stack config for one call. */
export interface WithSettings {
  /**
   * Per-call provider settings (cloud, region, projectId, endpoint, credentials, ...); else the
   * `otcjobs:*` stack config, then the environment, then clouds.yaml.
   */
  settings?: ProviderSettings;
}

export interface WithSettingsOutput {
  /**
   * Per-call provider settings (cloud, region, projectId, endpoint, credentials, ...); else the
   * `otcjobs:*` stack config, then the environment, then clouds.yaml. Wrap secret values in
   * `pulumi.secret(...)`: a secret input makes the result secret.
   */
  settings?: pulumi.Input<ProviderSettings>;
}
