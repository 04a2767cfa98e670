import type { Context, Next } from "hono";
import { createMiddleware } from "hono/factory";
import { requestId } from "hono/request-id";
import type { AppDeps, AppEnv } from "../context";
import { setAnswerHeader } from "./answer-headers";

export type LogLine = {
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
};

/**
 * The caller's X-Request-Id when it is 1–64 letters, digits, `_`, `-` or `=`, else a random UUID;
 * set as the `requestId` variable and echoed. Hono's own (hono/request-id): 1.07× the req/s of the
 * hand-written one it replaced (rounds 0.96–2.00: noise) (npm run bench -- middleware, docs/performance.md).
 */
const assignRequestId = requestId({ limitLength: 64 });

/**
 * Gives every request an id (echoed as X-Request-Id), its dependencies from the runtime, and a
 * log line. The line carries the path without the query string, and never headers, so tokens and
 * what pharmacists searched for stay out of the logs.
 */
export function requestContext(resolveDeps: (env: AppEnv["Bindings"]) => AppDeps | Promise<AppDeps>, log?: (line: LogLine) => void) {
  return createMiddleware<AppEnv>((c, next) => assignRequestId(c, () => withDeps(c, next)));

  async function withDeps(c: Context<AppEnv>, next: Next) {
    const requestId = c.get("requestId");
    const started = performance.now();
    c.set("deps", await resolveDeps(c.env ?? {}));
    try {
      await next();
    } finally {
      // On the answer's own headers: c.header() after the answer exists would rebuild it around
      // its body as a stream, which @hono/node-server then writes chunk by chunk.
      setAnswerHeader(c, "X-Request-Id", requestId);
      log?.({
        requestId,
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  }
}
