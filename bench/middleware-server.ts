/**
 * The server side of `npm run bench -- middleware` (bench/middleware.ts): one process serving the
 * app's request path for /health and /api/v1/prices several times over, each on its own port: as the
 * app has it, or with Hono's built-in middleware in place of one of ours (or, for the request id, which
 * the app now takes from Hono, with the hand-written one it replaced). The request path is
 * composed as src/app.ts composes it (same order; the rate limit off, as every bench runs), over a
 * database loaded from the real seeds (seeds/), without read threads.
 * Prints `ready {json of name → port}` once every variant listens.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { etag } from "hono/etag";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { timeout } from "hono/timeout";
import { openMigrated } from "../src/cli/database";
import { nodeDeps } from "../src/cli/node-deps";
import type { AppDeps, AppEnv } from "../src/context";
import { AppError } from "../src/errors";
import { setAnswerHeader } from "../src/middleware/answer-headers";
import { httpCache, PUBLIC_CACHE_CONTROL } from "../src/middleware/cache";
import { requestContext } from "../src/middleware/request-context";
import { publicReadCors, sameOriginWrites, securityHeaders } from "../src/middleware/security";
import { uploadLimit } from "../src/middleware/upload-limit";
import { type RunningServer, serveFetch } from "../src/node-http/serve";
import { handleError, notFoundHandler } from "../src/routes/errors";
import { healthRouter } from "../src/routes/health/health.index";
import { pricesRouter } from "../src/routes/prices/prices.index";
import { problemDetails } from "../src/routes/problem-details";
import { createRouter } from "../src/routes/router";

export const UPLOAD_LIMIT_BYTES = 8 * 1024 * 1024;

type Variant = {
  /** The app uses hono/request-id (inside requestContext); "hand-written" is what it replaced. */
  requestId?: "hand-written";
  cors?: "hono";
  etag?: "hono";
  timeout?: "hono";
  bodyLimit?: "hono";
  /** Without the response cache: every answer computed and hashed. */
  noCache?: boolean;
};

export const VARIANTS = {
  ours: {},
  "ours-nocache": { noCache: true },
  "hand-written-request-id": { requestId: "hand-written" },
  "hono-cors": { cors: "hono" },
  "hono-etag-nocache": { etag: "hono", noCache: true },
  "hono-timeout": { timeout: "hono" },
  "hono-body-limit": { bodyLimit: "hono" },
} satisfies Record<string, Variant>;

function compose(deps: AppDeps, v: Variant) {
  const app = createRouter();
  if (v.requestId === "hand-written") {
    // The hand-written request id that hono/request-id replaced (before issue 20), for comparison.
    app.use(
      "*",
      createMiddleware<AppEnv>(async (c, next) => {
        const incoming = c.req.header("x-request-id");
        const id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        c.set("requestId", id);
        c.header("X-Request-Id", id);
        c.set("deps", deps);
        await next();
        setAnswerHeader(c, "X-Request-Id", id);
      }),
    );
  } else {
    app.use(
      "*",
      requestContext(() => deps),
    );
  }
  app.use("/api/*", problemDetails);
  app.use("*", securityHeaders);
  app.use(
    "/api/*",
    v.cors === "hono"
      ? cors({
          origin: "*",
          allowMethods: ["GET", "HEAD", "OPTIONS"],
          allowHeaders: ["Content-Type", "If-None-Match", "X-Request-Id"],
          exposeHeaders: ["ETag", "X-Request-Id", "Retry-After"],
          maxAge: 600,
        })
      : publicReadCors,
  );
  app.use("*", sameOriginWrites);
  if (v.timeout === "hono") {
    app.use(
      "/api/*",
      // hono/timeout throws an HTTPException, not our AppError: handleError renders it as a plain 503.
      timeout(5000, () => new HTTPException(503, { message: "the query took longer than 5000 ms" })),
    );
  }
  if (v.etag === "hono") {
    app.use("/api/v1/*", etag({ weak: true }));
    app.use(
      "/api/v1/*",
      createMiddleware<AppEnv>(async (c, next) => {
        await next();
        setAnswerHeader(c, "Cache-Control", c.res.status === 200 ? PUBLIC_CACHE_CONTROL : "no-store");
      }),
    );
  } else {
    app.use("/api/v1/*", httpCache);
  }
  app.onError(handleError);
  app.notFound(notFoundHandler);
  app.route("/", healthRouter).route("/", pricesRouter);

  // A streamed upload as POST /api/v1/imports takes it on Node: counted as it arrives, never held whole.
  const limit =
    v.bodyLimit === "hono"
      ? bodyLimit({
          maxSize: UPLOAD_LIMIT_BYTES,
          onError: () => {
            throw new AppError(413, "payload_too_large", "too large");
          },
        })
      : uploadLimit({ limitOf: () => UPLOAD_LIMIT_BYTES, message: () => "too large", streamed: () => true });
  app.post("/bench/upload", limit, async (c) => {
    let bytes = 0;
    const reader = c.req.raw.body?.getReader();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      bytes += chunk.value.byteLength;
      if (bytes > UPLOAD_LIMIT_BYTES) throw new AppError(413, "payload_too_large", "too large");
    }
    return c.json({ bytes });
  });
  return app;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "vbp-bench-middleware-"));
  const url = `file:${join(dir, "bench.db")}`;
  const handle = await openMigrated(url);
  const { deps, close } = nodeDeps(handle, url, undefined, { importBodyLimitBytes: UPLOAD_LIMIT_BYTES, responseCacheBytes: 64 * 1024 * 1024 });
  const uncached: AppDeps = { ...deps, db: deps.db, responseCache: undefined };
  const ports: Record<string, number> = {};
  const servers: RunningServer[] = [];
  for (const [name, v] of Object.entries(VARIANTS) as [string, Variant][]) {
    const app = compose(v.noCache ? uncached : deps, v);
    const server = await serveFetch(app.fetch, 0, "127.0.0.1");
    servers.push(server);
    ports[name] = server.port;
  }
  console.log(`ready ${JSON.stringify(ports)}`);
  const stop = async () => {
    await Promise.all(servers.map((s) => s.close()));
    close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

void main();
