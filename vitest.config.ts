import { defineConfig } from "vitest/config";

/**
 * Files that start servers or CLIs, drive a browser, or assert latency and memory: they run one at a
 * time, after the rest, so that no other test file competes with them for the two cores.
 */
const ONE_AT_A_TIME = [
  "test/e2e/**/*.test.ts",
  "test/faults/**/*.test.ts",
  "test/node-http/**/*.test.ts",
  "test/integration/build.test.ts",
  "test/integration/node-entry.test.ts",
  "test/integration/service-stop.test.ts",
  "test/integration/cli-interrupt.test.ts",
  "test/integration/response-cache.test.ts",
  "test/import/cli-import.test.ts",
  "test/integration/backup.test.ts",
  "test/import/cli-xlsx.test.ts",
  "test/import/streamed-upload.test.ts",
  "test/import/import-worker.test.ts",
  "test/security/withdraw-import.security.test.ts",
  "test/security/uploads.security.test.ts",
  "test/exports/xlsx-export.test.ts",
  "test/openapi/linters.test.ts",
  "test/unit/synthetic/gen.test.ts",
  "test/unit/project/stands-alone.test.ts",
  "test/edge/bundle-size.test.ts",
];

/**
 * `vitest run` runs the Node tests (unit, integration, e2e) and the tests inside workerd against a
 * local D1 (vitest.workers.config.ts), so `npm test` covers both runtimes. Two files at a time, as
 * many as the machine has cores, then the files above one at a time.
 */
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          exclude: ["test/workerd/**", "**/node_modules/**", ...ONE_AT_A_TIME],
          sequence: { groupOrder: 0 },
        },
      },
      "./vitest.workers.config.ts",
      {
        extends: true,
        test: { name: "node-serial", include: ONE_AT_A_TIME, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
