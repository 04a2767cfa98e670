import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { AppError } from "../errors";

type Window = { start: number; count: number };

/** Bounded so a flood of distinct addresses cannot grow memory without limit. */
const MAX_TRACKED_CLIENTS = 50_000;

/**
 * A fixed one-minute window per client address, kept in this process (one isolate on Workers).
 * It protects one server from one noisy client; a fleet needs Cloudflare's rate limiting rules.
 */
export function rateLimit() {
  const windows = new Map<string, Window>();
  return createMiddleware<AppEnv>(async (c, next) => {
    const perMinute = c.get("deps").rateLimitPerMinute ?? 0;
    if (perMinute <= 0) return next();
    const client = clientAddress(c.req.raw, c.env);
    const now = Date.now();
    let w = windows.get(client);
    if (!w || now - w.start >= 60_000) {
      if (windows.size >= MAX_TRACKED_CLIENTS) windows.clear();
      w = { start: now, count: 0 };
      windows.set(client, w);
    }
    w.count++;
    const remaining = Math.max(0, perMinute - w.count);
    c.header("RateLimit-Limit", String(perMinute));
    c.header("RateLimit-Remaining", String(remaining));
    if (w.count > perMinute) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
      throw new AppError(429, "rate_limited", `too many requests from this address; retry after ${retryAfter} s`, undefined, {
        "Retry-After": String(retryAfter),
      });
    }
    await next();
  });
}

/** The caller's address: Cloudflare's header on Workers, the socket on Node. */
function clientAddress(req: Request, env: unknown): string {
  const cf = req.headers.get("cf-connecting-ip");
  if (cf) return cf;
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "unknown";
}
