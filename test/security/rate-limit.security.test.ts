import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, networkKey } from "../../src/middleware/client-address";
import { WindowCounter } from "../../src/middleware/window-counter";
import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

/** What @hono/node-server hands the app as its env: the socket the request came on. */
const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe("client identity: the socket's address, never a header a client chose", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ rateLimitPerMinute: 20 });
  });
  afterAll(() => world.close());

  it("does not let 700 spoofed CF-Connecting-IP / X-Forwarded-For headers buy 700 budgets on Node", async () => {
    let passed = 0;
    for (let i = 0; i < 700; i++) {
      const res = await world.app.request(
        "/health",
        { headers: { "cf-connecting-ip": `10.${i >> 8}.${i & 255}.1`, "x-forwarded-for": `10.9.${i & 255}.1`, "x-real-ip": `10.8.${i & 255}.1` } },
        socket("198.51.100.7"),
      );
      if (res.status === 200) passed++;
    }
    expect(passed).toBe(20);
  });

  it("uses the header TRUST_PROXY names, taking the entry the proxy appended, not what the client wrote before it", async () => {
    const behind = await createTestWorld({ seed: false, rateLimitPerMinute: 3, settings: { trustProxy: "x-forwarded-for" } });
    try {
      const via = (xff: string) => behind.app.request("/health", { headers: { "x-forwarded-for": xff } }, socket("127.0.0.1"));
      // The client forges a first entry each time; the proxy's own entry (the last) is the same.
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await via(`6.6.6.${i}, 203.0.113.50`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect((await via("203.0.113.51")).status).toBe(200);
    } finally {
      behind.close();
    }
  });

  it("keys IPv6 clients by their /64 and unwraps IPv4-mapped addresses", () => {
    expect(networkKey("2001:db8:1:2:aaaa::1")).toBe(networkKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    expect(networkKey("2001:db8:1:2::1")).not.toBe(networkKey("2001:db8:1:3::1"));
    expect(networkKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    const req = new Request("http://x/", { headers: { "cf-connecting-ip": "192.0.2.9" } });
    expect(clientAddress(req, socket("192.0.2.1"), { onWorkers: false })).toBe("192.0.2.1");
    expect(clientAddress(req, undefined, { onWorkers: true })).toBe("192.0.2.9");
  });
});

describe("one limiter for the API, the pages and every POST", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ rateLimitPerMinute: 4, settings: { adminAuthFailuresPerMinute: 3 } });
  });
  afterAll(() => world.close());

  it("counts pages and form posts like API calls, with RateLimit-* headers on every counted answer", async () => {
    const env = socket("192.0.2.20");
    const page = await world.app.request("/", {}, env);
    expect(page.status).toBe(200);
    expect(page.headers.get("ratelimit-limit")).toBe("4");
    expect(page.headers.get("ratelimit-remaining")).toBe("3");
    expect(page.headers.get("ratelimit-policy")).toBe("4;w=60");
    expect(Number(page.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    const form = new FormData();
    form.set("file", new File(["药品通用名,规格\n"], "list.csv", { type: "text/csv" }));
    expect((await world.app.request("/price-check", { method: "POST", body: form }, env)).status).toBe(200);
    expect((await world.app.request("/api/v1/batches", {}, env)).status).toBe(200);
    expect((await world.app.request("/batches", {}, env)).status).toBe(200);
    const limited = await world.app.request("/price-check", { method: "POST", body: form }, env);
    expect(limited.status).toBe(429);
    // A page answers a page, in Chinese; the API answers its JSON error.
    expect(limited.headers.get("content-type")).toContain("text/html");
    expect(await limited.clone().text()).toContain("请求太频繁");
    const api = await world.app.request("/api/v1/batches", {}, env);
    expect(api.status).toBe(429);
    expect((await api.json()).error.code).toBe("rate_limited");
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
  });

  it("refuses a client after 3 failed admin tokens, on the API and the import page, even with the right token then", async () => {
    const guesser = socket("192.0.2.30");
    const guess = (token: string) => world.app.request("/api/v1/imports", { headers: { authorization: `Bearer ${token}` } }, guesser);
    // Budget of the other limiter: 4 a minute; use fresh addresses per request pair to stay under it.
    expect((await guess("wrong-token-0000000001")).status).toBe(401);
    expect((await guess("wrong-token-0000000002")).status).toBe(401);
    const form = new FormData();
    form.set("token", "wrong-token-0000000003");
    form.set("kind", "prices");
    expect((await world.app.request("/import", { method: "POST", body: form }, guesser)).status).toBe(401);
    const blocked = await world.app.request("/api/v1/imports", { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }, socket("192.0.2.30"));
    expect(blocked.status).toBe(429);
    expect((await blocked.json()).error.code).toBe("too_many_failed_attempts");
    // Another client with the right token is not affected.
    const admin = await world.app.request("/api/v1/imports", { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }, socket("192.0.2.31"));
    expect(admin.status).toBe(200);
  });
});

describe("bounded memory for client windows", () => {
  it("forgets the oldest clients one by one when full, never everyone (50,000 fake addresses)", () => {
    const counter = new WindowCounter(60_000, 10_000);
    const t = 1_000_000;
    for (let i = 0; i < 5; i++) counter.hit("victim", t);
    for (let i = 0; i < 50_000; i++) counter.hit(`fake-${i}`, t + 1 + (i >> 10));
    expect(counter.size).toBeLessThanOrEqual(10_000);
    // The most recent clients keep their counts; a second hit from a recent one is its second.
    expect(counter.hit("fake-49999", t + 60).count).toBe(2);
    const active = new WindowCounter(60_000, 1000);
    for (let i = 0; i < 999; i++) active.hit(`client-${i}`, t);
    for (let i = 0; i < 999; i++) active.hit(`client-${i}`, t + 1);
    active.hit("newcomer", t + 2);
    active.hit("another", t + 3);
    // Only the single oldest window went; the other 998 still count their 2 hits.
    expect(active.peek("client-0", t + 4)).toBeNull();
    let kept = 0;
    for (let i = 1; i < 999; i++) if (active.peek(`client-${i}`, t + 4)?.count === 2) kept++;
    expect(kept).toBe(998);
  });

  it("starts a client's window again after a minute", () => {
    const counter = new WindowCounter(60_000, 10);
    counter.hit("a", 0);
    expect(counter.hit("a", 59_999).count).toBe(2);
    expect(counter.hit("a", 60_000).count).toBe(1);
  });
});
