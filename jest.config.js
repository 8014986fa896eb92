/** Transpile-only (SWC): type-checking happens once, in `npm run typecheck`. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2023" } }] },
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  modulePathIgnorePatterns: ["<rootDir>/.ci/"],
  testTimeout: 30000,
  // Workspace packages resolve to their TypeScript source, so tests need no prior build.
  moduleNameMapper: { "^@abode/service-kit$": "<rootDir>/services/kit/src/index.ts" },
};
