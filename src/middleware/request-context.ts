import { createMiddleware } from "hono/factory";
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
 * Gives every request an id (echoed as X-Request-Id), its dependencies from the runtime, and a
 * log line. The line carries the path without the query string, and never headers, so tokens and
 * what pharmacists searched for stay out of the logs.
 */
export function requestContext(resolveDeps: (env: AppEnv["Bindings"]) => AppDeps | Promise<AppDeps>, log?: (line: LogLine) => void) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    c.header("X-Request-Id", requestId);
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
  });
}
