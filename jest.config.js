/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // The real Pulumi CLI's suite runs apart: `npm run test:engine` (jest.engine.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/engine/"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] },
  // The package's own name (as examples and the dynamic provider require it) maps to the sources.
  moduleNameMapper: {
    "^pulumi-otc-jobs$": "<rootDir>/sdk/index.ts",
    "^pulumi-otc-jobs/provider$": "<rootDir>/provider/index.ts",
    "^pulumi-otc-jobs/emulator$": "<rootDir>/emulator/index.ts",
  },
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/tests/summary-reporter.js"],
};
