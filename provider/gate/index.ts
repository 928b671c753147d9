/** JobGate, split as pulumi-command splits a resource: inputs (schema), run (controller), stack config. */
export * from "./inputs";
export * from "./run";
export * from "./stackConfig";
export * from "./wire";
