import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { okJson, typedClient } from "../support/client";
import type { TestWorld } from "../support/test-db";
import { createSearchWorld } from "./search-world";

let world: TestWorld;
beforeAll(async () => {
  world = await createSearchWorld();
});
afterAll(() => world.close());

const NASTY = [
  '"',
  "*",
  "AND",
  "OR",
  "NOT",
  "NEAR(",
  "NEAR(阿托伐 他汀, 2)",
  "(10mg)",
  "阿托伐他汀钙片(10mg)",
  "'; DROP TABLE prices; --",
  "^",
  "-",
  ":",
  "codes:",
  "{name}:x",
  '""""',
  "%",
  "_",
  "\\",
  "\u0000",
  "\uffff",
  "🧪💊",
  "a\u0301",
  "‮",
];

/** Raw on purpose: hostile text in any parameter, where 200 and a 400 with a code are both right answers. */
async function expectAnswered(path: string) {
  const res = await world.app.request(path);
  const status = res.status;
  const body = await res.json();
  expect([200, 400], `${path} → ${status}`).toContain(status);
  if (status === 400) expect(body.error.code).toBeTypeOf("string");
  else expect(Array.isArray(body.data)).toBe(true);
}

describe("hostile query text", () => {
  it("is ordinary text for search and suggest", async () => {
    for (const q of NASTY) {
      await expectAnswered(`/api/v1/prices?q=${encodeURIComponent(q)}`);
      await expectAnswered(`/api/v1/suggest?q=${encodeURIComponent(q)}`);
    }
    const prices = typedClient(world.app).api.v1.prices;
    const body = await okJson(prices.$get({ query: { q: "'; DROP TABLE prices; --" } }));
    expect(body.meta.total).toBe(0);
    expect((await okJson(prices.$get({ query: { q: "atf", include: "ended" } }))).meta.total).toBe(5);
  });

  it("never answers 500 for arbitrary Unicode (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.constantFrom("prices", "suggest"),
        fc.option(fc.constantFrom(...NASTY)),
        async (text, path, extra) => {
          const q = extra ? `${text} ${extra}` : text;
          const { status } = await world.app.request(`/api/v1/${path}?q=${encodeURIComponent(q)}&limit=5`);
          return status === 200 || status === 400;
        },
      ),
      { numRuns: 150 },
    );
  });
});
