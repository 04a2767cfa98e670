import { Hono } from "hono";
import { rateLimiter } from "hono-rate-limiter";
import { createApp } from "../src/app";
import { openMigrated } from "../src/cli/database";
import { nodeDeps } from "../src/cli/node-deps";
import { loadConfig } from "../src/env";
import { clientAddress } from "../src/middleware/client-address";
import { createReadPool } from "../src/node-http/read-pool";
import { serveFetch } from "../src/node-http/serve";

/**
 * The Node server as src/node.ts builds it, with hono-rate-limiter (its memory store, draft-6
 * RateLimit-* headers) in front of the app instead of our limiter, keyed by the same client
 * address: the abuse bench (part 1 and 2) measures both side by side. Bench only, never served.
 */
async function main() {
  const config = loadConfig(process.env);
  const handle = await openMigrated(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  const path = config.DATABASE_URL.slice("file:".length).replace(/\?.*$/, "");
  const readPool = config.READ_THREADS > 0 ? createReadPool({ path, size: config.READ_THREADS, budgetMs: config.QUERY_BUDGET_MS }) : undefined;
  const { deps } = nodeDeps(handle, config.DATABASE_URL, undefined, {
    readPool,
    rateLimitPerMinute: 0,
    importBodyLimitBytes: config.IMPORT_BODY_LIMIT_MB * 1024 * 1024,
    trustProxy: config.TRUST_PROXY,
    responseCacheBytes: config.RESPONSE_CACHE_MB * 1024 * 1024,
  });
  const app = new Hono();
  app.use(
    "*",
    rateLimiter({
      windowMs: 60_000,
      limit: config.RATE_LIMIT_PER_MINUTE,
      standardHeaders: "draft-6",
      keyGenerator: (c) => clientAddress(c.req.raw, c.env, { trustProxy: config.TRUST_PROXY, onWorkers: false }),
    }),
  );
  app.route("/", createApp({ deps: () => deps }));
  const server = await serveFetch(app.fetch, config.PORT, config.HOST, {
    headersTimeoutMs: config.HEADERS_TIMEOUT_S * 1000,
    requestTimeoutMs: config.REQUEST_TIMEOUT_S * 1000,
  });
  console.log(`serving on http://${config.HOST}:${server.port} with hono-rate-limiter`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
