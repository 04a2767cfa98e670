import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorJson, okJson, typedClient } from "../support/client";
import type { TestWorld } from "../support/test-db";
import { createSearchWorld } from "./search-world";

let world: TestWorld;
beforeAll(async () => {
  world = await createSearchWorld();
});
afterAll(() => world.close());

/** The API through the typed client. */
const api = () => typedClient(world.app).api.v1;

async function allPages(q: string, limit: number): Promise<{ ids: number[]; total: number }> {
  const ids: number[] = [];
  let cursor: string | null = null;
  let total = 0;
  for (let guard = 0; guard < 100; guard++) {
    const query: { q: string; limit: string; cursor?: string } = { q, limit: String(limit), ...(cursor ? { cursor } : {}) };
    const body = await okJson(api().prices.$get({ query }));
    total = body.meta.total;
    ids.push(...body.data.map((d) => d.id));
    cursor = body.meta.nextCursor;
    if (!cursor) break;
  }
  return { ids, total };
}

describe("relevance pagination", () => {
  it("walks every matched price exactly once, in the order of one big page (property)", async () => {
    const queries = ["他汀", "阿", "at", "沙坦", "华海", "阿托伐 20mg", "东阿阿胶", "xc10", "冠"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...queries), fc.integer({ min: 1, max: 6 }), async (query, limit) => {
        const whole = await allPages(query, 200);
        const paged = await allPages(query, limit);
        expect(paged.ids).toEqual(whole.ids);
        expect(new Set(paged.ids).size).toBe(paged.ids.length);
        expect(paged.ids.length).toBe(whole.total);
      }),
      { numRuns: 25 },
    );
  });

  it("rejects a cursor of another sort with a clear 400", async () => {
    const other = await okJson(api().prices.$get({ query: { sort: "unitPrice", limit: "1" } }));
    const { status, body } = await errorJson(api().prices.$get({ query: { q: "atf", cursor: other.meta.nextCursor! } }));
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_cursor");
  });

  it("keeps q for the other sorts", async () => {
    const body = await okJson(api().prices.$get({ query: { q: "他汀", sort: "unitPrice", limit: "50", include: "ended" } }));
    expect(body.meta.total).toBe(9);
    const units = body.data.map((d) => d.unitPrice);
    expect(units).toEqual([...units].sort((a, b) => a - b));
  });
});
