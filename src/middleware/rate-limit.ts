import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { pageError } from "../ui/error-page";
import { setAnswerHeader } from "./answer-headers";
import { clientAddress } from "./client-address";
import { WindowCounter } from "./window-counter";

/** Paths that answer HTML for people; everything else (API, /health, /openapi.json) answers JSON. */
const isPage = (path: string) => !/^\/(api\/|health$|openapi\.json$)/.test(path);

/** Cloudflare's rate-limiting binding (`[[ratelimits]]` in wrangler.toml): counts one hit per call. */
export type RateLimitBinding = { limit(options: { key: string }): Promise<{ success: boolean }> };

/** What the admin guards ask before and after checking a token. */
export type AdminAuthBudget = {
  /** Seconds to wait when this client has used up its failed attempts, else null. */
  blockedFor(): Promise<number | null>;
  /** Counts a failed attempt. */
  failed(): Promise<void>;
};

const WINDOW_MS = 60_000;
/** Enough for a hospital's NAT of clients; 100,000 windows take about 15 MB (see the abuse bench). */
export const MAX_TRACKED_CLIENTS = 100_000;
/** Same-origin files every page loads; counting them would spend a page view's budget three times. */
const UNCOUNTED = /^\/ui\//;

/**
 * One limiter for everything a client can ask: the API, the pages and every POST, by client
 * address (see client-address.ts), with a second, stricter budget for failed admin
 * authentication. In a Node process the windows live in memory, bounded: when full, the client
 * whose window is oldest is forgotten, never everyone. On Workers, where memory is per isolate
 * and so no limit, Cloudflare's rate-limiting bindings count instead (RATE_LIMITER,
 * ADMIN_AUTH_LIMITER). Every counted answer carries `RateLimit-*` headers (IETF draft 6 names,
 * as hono-rate-limiter sends them); a 429 also carries `Retry-After`.
 *
 * Written here rather than with hono-rate-limiter: side by side in the abuse bench it answered 0.70×
 * our requests per second on /health, 0.84× on a cached search, with twice our memory at 60,000
 * clients (it sets headers before the route runs, so Hono rebuilds every answer: answer-headers.ts).
 */
export function rateLimit({ maxClients = MAX_TRACKED_CLIENTS }: { maxClients?: number } = {}) {
  let requests: WindowCounter | undefined;
  const failures = new WindowCounter(WINDOW_MS, maxClients);
  return createMiddleware<AppEnv>(async (c, next) => {
    const deps = c.get("deps");
    const perMinute = deps.rateLimitPerMinute ?? 0;
    const authPerMinute = deps.adminAuthFailuresPerMinute ?? 0;
    const edge = deps.edge?.rateLimiters;
    const client = clientAddress(c.req.raw, c.env, { trustProxy: deps.trustProxy, onWorkers: deps.edge !== undefined });
    c.set("adminAuthBudget", edge?.adminAuth ? edgeAuthBudget(edge.adminAuth, client, authPerMinute) : memoryAuthBudget(failures, client, authPerMinute));
    if (perMinute <= 0 || UNCOUNTED.test(c.req.path)) return next();
    let verdict: Verdict;
    if (edge?.requests) {
      const { success } = await edge.requests.limit({ key: client });
      verdict = { allowed: success, limit: perMinute, remaining: success ? null : 0, resetSeconds: 60 };
    } else {
      if (requests?.limit !== perMinute) requests = new WindowCounter(WINDOW_MS, maxClients, perMinute);
      const w = requests.hit(client);
      verdict = { allowed: w.count <= perMinute, limit: perMinute, remaining: Math.max(0, perMinute - w.count), resetSeconds: w.resetSeconds };
    }
    const headers = rateLimitHeaders(verdict);
    if (!verdict.allowed) {
      const refusal = { ...headers, "Retry-After": String(verdict.resetSeconds) };
      if (isPage(c.req.path)) {
        // A person at a browser gets the pages' own error page, in Chinese, with the same status.
        const res = await pageError(new AppError(429, "rate_limited", `这个网络地址一分钟内的请求太多了，请 ${verdict.resetSeconds} 秒后再试。`), c);
        for (const [name, value] of Object.entries(refusal)) res.headers.set(name, value);
        return res;
      }
      throw new AppError(429, "rate_limited", `too many requests from this address; retry after ${verdict.resetSeconds} s`, undefined, refusal);
    }
    await next();
    for (const [name, value] of Object.entries(headers)) setAnswerHeader(c, name, value);
  });
}

type Verdict = { allowed: boolean; limit: number; remaining: number | null; resetSeconds: number };

function rateLimitHeaders(v: Verdict): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Policy": `${v.limit};w=60`,
    "RateLimit-Limit": String(v.limit),
    "RateLimit-Reset": String(v.resetSeconds),
  };
  // The Workers binding says only yes or no: the remaining count is known only when it is zero.
  if (v.remaining !== null) headers["RateLimit-Remaining"] = String(v.remaining);
  return headers;
}

function memoryAuthBudget(failures: WindowCounter, client: string, perMinute: number): AdminAuthBudget {
  return {
    async blockedFor() {
      if (perMinute <= 0) return null;
      const w = failures.peek(client);
      return w && w.count >= perMinute ? w.resetSeconds : null;
    },
    async failed() {
      if (perMinute > 0) failures.hit(client);
    },
  };
}

/**
 * The binding can only count and answer, not look without counting, so on Workers every attempt
 * at an admin endpoint is counted against the stricter budget, successful or not.
 */
function edgeAuthBudget(binding: RateLimitBinding, client: string, perMinute: number): AdminAuthBudget {
  return {
    async blockedFor() {
      if (perMinute <= 0) return null;
      const { success } = await binding.limit({ key: `admin:${client}` });
      return success ? null : 60;
    },
    async failed() {},
  };
}

/** Refuses a client that spent its failed admin attempts: 429 before its token is even compared. */
export async function refuseSpentAuthBudget(c: Context<AppEnv>): Promise<void> {
  const wait = await c.get("adminAuthBudget")?.blockedFor();
  if (wait !== null && wait !== undefined) {
    throw new AppError(429, "too_many_failed_attempts", `too many failed admin token attempts from this address; retry after ${wait} s`, undefined, {
      "Retry-After": String(wait),
    });
  }
}
