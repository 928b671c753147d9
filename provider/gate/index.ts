/**
 * JobGate, split as pulumi-command splits a resource: inputs (schema), run (controller), stack config.
 * Only zod-free names are exported here: this is public API (`pulumi-otc-jobs/provider`). The plugin
 * reads the schema itself from `./inputs`.
 */
export {
  checkGateInputs,
  diffGateInputs,
  DIFFED_GATE_INPUTS,
  GATE_INPUT_KEYS,
  GateInputsError,
  parseGateInputs,
  REPLACING_GATE_INPUTS,
  SECRET_INPUTS_FIELD,
  SECRET_GATE_INPUTS,
  type GateDiff,
  type GateFailure,
  type GateInputKey,
  type GateInputs,
  type ParsedGateInputs,
} from "./inputs";
export * from "./run";
export * from "./stackConfig";
export * from "./wire";
