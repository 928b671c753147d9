/** `npm run plugin:schema`: writes `plugin/schema.json` (for `pulumi package gen-sdk`) from the core's definitions. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema } from "./schema";
import { PLUGIN_VERSION } from "./version";

/** Where the committed schema lives, from `dist/plugin` or `plugin/`. */
export const SCHEMA_PATH = join(__dirname, "..", "..", "plugin", "schema.json");

export function schemaText(): string {
  return `${JSON.stringify(buildSchema(PLUGIN_VERSION), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, schemaText());
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}
