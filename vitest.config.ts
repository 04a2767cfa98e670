import { defineConfig } from "vitest/config";

/**
 * `vitest run` runs two projects: the Node tests (unit, integration, e2e) and the tests inside
 * workerd against a local D1 (vitest.workers.config.ts), so `npm test` covers both runtimes.
 */
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["test/**/*.test.ts", "test/**/*.test.tsx"], exclude: ["test/workerd/**", "**/node_modules/**"] },
      },
      "./vitest.workers.config.ts",
    ],
  },
});
