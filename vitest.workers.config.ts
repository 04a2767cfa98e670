import { readFileSync } from "node:fs";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * Tests that run inside workerd (the Workers runtime) against a local D1 built from the same
 * migrations in drizzle/ that `wrangler d1 migrations apply` uses, seeded through the app's own
 * import code. Node reads the files here and hands them to the runtime as bindings.
 */
export const WORKERD_ADMIN_TOKEN = "workerd-test-admin-token-0123456789";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      main: "./src/worker.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // A small request budget, so the limit can be reached quickly; the admin one is wrangler.toml's.
        ratelimits: { RATE_LIMITER: { simple: { limit: 40, period: 60 } } },
        bindings: {
          ADMIN_TOKEN: WORKERD_ADMIN_TOKEN,
          RATE_LIMIT_PER_MINUTE: "40",
          TEST_MIGRATIONS: await readD1Migrations("./drizzle"),
          TEST_SEEDS: (["regions", "batches", "prices"] as const).map((kind) => ({
            kind,
            name: `seeds/${kind}.csv`,
            text: readFileSync(`./seeds/${kind}.csv`, "utf8"),
          })),
        },
      },
    })),
  ],
  oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } },
  test: {
    name: "workerd",
    sequence: { groupOrder: 0 },
    include: ["test/workerd/**/*.test.ts"],
    setupFiles: ["./test/workerd/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
