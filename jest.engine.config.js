/**
 * `npm run test:engine`: the real Pulumi CLI (scripts/pulumi-toolchain.sh) against the emulator, one
 * language per file, in parallel on two workers. Not part of `npm test`.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests/engine"],
  testMatch: ["**/*.engine.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] },
  testTimeout: 600000,
  maxWorkers: 2,
  verbose: true,
};
