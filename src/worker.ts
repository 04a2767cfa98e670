import { createApp } from "./app";
import type { AppDeps } from "./context";
import { openD1 } from "./db/d1";
import type { EdgeCache } from "./edge/edge-deps";
import { parseWorkerEnv, workerLimits } from "./edge/worker-env";
import { AppError } from "./errors";

/**
 * Cloudflare Workers entry. Everything here runs per request: validate the bindings, wrap the
 * database (D1 binding `DB`, or Turso when the DATABASE_URL secret is set), and hand the request
 * to the same app the Node server runs. Nothing heavy at module scope: the app's routes are plain
 * objects, and the libSQL web client is only loaded in Turso mode.
 */
async function workerDeps(raw: Record<string, unknown>): Promise<AppDeps> {
  const parsed = parseWorkerEnv(raw);
  if ("problems" in parsed) {
    const first = parsed.problems[0]!;
    console.error(JSON.stringify({ level: "error", message: "worker misconfigured", problems: parsed.problems }));
    throw new AppError(500, "worker_misconfigured", `the Worker is misconfigured: ${first.binding} ${first.message}`, parsed.problems);
  }
  const env = parsed.env;
  const turso = env.DATABASE_URL !== undefined;
  const db = turso ? (await import("./db/libsql-web")).openLibsqlWeb(env.DATABASE_URL!, env.DATABASE_AUTH_TOKEN) : openD1(env.DB!);
  const limits = workerLimits(env);
  return {
    db,
    adminToken: env.ADMIN_TOKEN,
    adminTokens: env.ADMIN_TOKENS,
    importBodyLimitBytes: limits.maxBodyBytes,
    // Counted by Cloudflare's bindings (one count across isolates); without them, no limit is claimed.
    rateLimitPerMinute: env.RATE_LIMITER ? env.RATE_LIMIT_PER_MINUTE : 0,
    adminAuthFailuresPerMinute: env.ADMIN_AUTH_LIMITER ? env.ADMIN_AUTH_FAILURES_PER_MINUTE : 0,
    responseCache: defaultCache(),
    edge: { d1: !turso, limits, rateLimiters: { requests: env.RATE_LIMITER, adminAuth: env.ADMIN_AUTH_LIMITER } },
  };
}

/** `caches.default` exists only in workerd; the DOM typings do not know it, hence the narrow cast. */
function defaultCache(): EdgeCache | undefined {
  return (globalThis as { caches?: { default?: EdgeCache } }).caches?.default;
}

const app = createApp({ deps: workerDeps });

export default { fetch: app.fetch };
