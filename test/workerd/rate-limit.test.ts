import { describe, expect, it } from "vitest";
import { call } from "./support";

/**
 * On Workers the count lives in Cloudflare's rate-limiting bindings (wrangler.toml [[ratelimits]]),
 * one count across isolates, not in an isolate's memory. CF-Connecting-IP is the client here:
 * Cloudflare sets it itself on every request that reaches a Worker.
 */
/**
 * The bindings count per fixed minute of the clock (miniflare: floor(now / 60 s)), so a burst that
 * straddles the turn of a minute starts a new count halfway: start each burst clear of it.
 */
async function clearOfMinuteTurn() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 250));
}

describe("rate limits on Workers come from Cloudflare's bindings", () => {
  it("refuses a client's request over the binding's limit in a minute with 429 and RateLimit-* headers, and not another client", {
    timeout: 30_000,
  }, async () => {
    await clearOfMinuteTurn();
    const from = (ip: string) => ({ headers: { "cf-connecting-ip": ip } });
    const statuses = new Map<number, number>();
    let first: Response | undefined;
    // vitest.workers.config.ts sets this binding to 40 a minute (wrangler.toml: 600).
    for (let i = 0; i < 40; i += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => call("/api/v1/no-such-route", from("203.0.113.60"))));
      for (const { status, res } of answers) {
        first ??= res;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }
    expect(statuses.get(404)).toBe(40);
    expect(first!.headers.get("ratelimit-policy")).toBe("40;w=60");
    const limited = await call("/api/v1/no-such-route", from("203.0.113.60"));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(limited.res.headers.get("ratelimit-remaining")).toBe("0");
    expect(limited.res.headers.get("retry-after")).toBe("60");
    expect((await call("/api/v1/no-such-route", from("203.0.113.61"))).status).toBe(404);
  });

  it("gives admin endpoints a stricter budget: the 6th attempt in a minute is refused even with the right token", { timeout: 30_000 }, async () => {
    await clearOfMinuteTurn();
    const attempt = (token: string) => call("/api/v1/imports", { headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": "203.0.113.70" } });
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-token-${i}-0123456789`)).status).toBe(401);
    const refused = await attempt("workerd-test-admin-token-0123456789");
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("too_many_failed_attempts");
  });
});
