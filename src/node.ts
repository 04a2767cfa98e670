import { randomUUID } from "node:crypto";
import { createApp } from "./app";
import { openMigrated } from "./cli/database";
import { nodeDeps } from "./cli/node-deps";
import { embeddedFilePath } from "./db/file-path";
import { ensureStatistics } from "./db/statistics";
import { ConfigError, loadAdminTokens, loadConfig } from "./env";
import { stopGracefullyOnSignals } from "./node-http/graceful-stop";
import { stopImportThreads } from "./node-http/import-in-worker";
import { createReadPool } from "./node-http/read-pool";
import { serveFetch } from "./node-http/serve";
import { loopbackGet, WARM_UP_HEADER, warmUp } from "./node-http/warm-up";

/** How long the server waits for its read threads to load the search code before it listens anyway. */
const READ_THREADS_LOAD_MS = 30_000;
/** Warming up starts no round past this; on a million prices its two rounds take 1–2 s. */
const WARM_UP_BUDGET_MS = 3_000;
const WARM_UP_ROUNDS = 2;

/** Node entry: validate settings, migrate and seed the database, then serve the app. */
async function main() {
  const config = loadConfig(process.env);
  const handle = await openMigrated(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  if (handle.seeded) console.log("database was empty: loaded the seed data from seeds/");
  if (process.argv.includes("--demo")) {
    const { loadDemo } = await import("./cli/demo");
    await loadDemo(handle.db);
  }
  // A database that an older version or another tool filled has no planner statistics yet.
  const stats = await ensureStatistics(handle.db);
  if (stats.analyzed) console.log(`the database had no planner statistics: analyzed it (bounded, ${stats.ms} ms)`);
  const dbFile = embeddedFilePath(config.DATABASE_URL);
  const readPool =
    config.READ_THREADS > 0 && dbFile
      ? createReadPool({
          path: dbFile,
          size: config.READ_THREADS,
          budgetMs: config.QUERY_BUDGET_MS,
          nice: config.READ_THREAD_NICE,
          calls: true,
          // A price check may take as long as its request may.
          uploadBudgetMs: config.REQUEST_TIMEOUT_S * 1000,
        })
      : undefined;
  // Searches run whole on the read threads once these have loaded the code (a second or two from
  // the TypeScript sources); until then, or if they cannot, their statements do.
  if (readPool && !(await readPool.callsReady(READ_THREADS_LOAD_MS)))
    console.error(JSON.stringify({ level: "warn", message: "read threads run statements only: searches run on the event loop" }));
  const { deps, close } = nodeDeps(handle, config.DATABASE_URL, config.DATABASE_AUTH_TOKEN, {
    readPool,
    adminToken: config.ADMIN_TOKEN,
    adminTokens: loadAdminTokens(config),
    importBodyLimitBytes: config.IMPORT_BODY_LIMIT_MB * 1024 * 1024,
    pageUploadLimitBytes: config.PAGE_UPLOAD_LIMIT_MB * 1024 * 1024,
    uploadSpoolDir: config.UPLOAD_SPOOL_DIR,
    importHeapMb: config.IMPORT_HEAP_MB,
    priceCheckBodyLimitBytes: config.PRICE_CHECK_BODY_LIMIT_MB * 1024 * 1024,
    uploadsAtOnce: config.UPLOADS_AT_ONCE,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    adminAuthFailuresPerMinute: config.ADMIN_AUTH_FAILURES_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    responseCacheBytes: config.RESPONSE_CACHE_MB * 1024 * 1024,
  });
  const app = createApp({
    deps: () => deps,
    log: config.LOG_REQUESTS ? (line) => console.log(JSON.stringify(line)) : undefined,
  });
  // Warm-up requests get an app of their own, which logs and limits nothing: they are not users' (src/node-http/warm-up.ts).
  const warmSecret = randomUUID();
  const quietDeps = { ...deps, rateLimitPerMinute: 0 };
  const quiet = createApp({ deps: () => quietDeps });
  let warming = true;
  // Only while warming up is a request's header read: afterwards every request goes straight to the app.
  const fetch: typeof app.fetch = (req, ...rest) => (warming && req.headers.get(WARM_UP_HEADER) === warmSecret ? quiet : app).fetch(req, ...rest);
  const server = await serveFetch(fetch, config.PORT, config.HOST, {
    headersTimeoutMs: config.HEADERS_TIMEOUT_S * 1000,
    requestTimeoutMs: config.REQUEST_TIMEOUT_S * 1000,
  });
  // It answers from here on; "serving on" follows once the warm-up is done.
  console.log(`listening on http://${config.HOST}:${server.port}: warming up`);
  const warm = await warmUp(loopbackGet(config.HOST, server.port, warmSecret), WARM_UP_ROUNDS, WARM_UP_BUDGET_MS);
  warming = false;
  if (warm.failed.length) console.error(JSON.stringify({ level: "warn", message: "warm-up requests failed", failed: warm.failed }));
  console.log(`serving on http://${config.HOST}:${server.port} (database ${redact(config.DATABASE_URL)}; API docs at /docs; warmed up in ${warm.ms} ms)`);
  stopGracefullyOnSignals({ server, closeDatabase: close, stopThreads: stopImportThreads, graceMs: config.SHUTDOWN_GRACE_S * 1000 });
}

function redact(url: string): string {
  return url.replace(/\?.*$/, "");
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
