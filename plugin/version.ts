/** The plugin's version: the package's (one source, read at start; the bundle inlines it). */
export const PLUGIN_VERSION: string = (require("../../package.json") as { version: string }).version;
