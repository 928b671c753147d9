import { conformanceSuite } from "./conformance";
import { PLUGIN } from "./plugin-harness";

conformanceSuite("bin/pulumi-resource-otcjobs", () => PLUGIN);
