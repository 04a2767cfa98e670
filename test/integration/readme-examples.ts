import { hc } from "hono/client";
import type { AppType } from "../../src/app";

/*
 * The README's client examples as TypeScript the project's typecheck (npm run typecheck) compiles
 * against AppType: readme-client.test.ts checks each body is the README's block, word for word, and
 * runs the README's text against the app. What the README leaves to the reader is declared here.
 */
declare function loadToken(): string | null;
declare function saveToken(token: string): void;
declare function removeLocal(id: number): void;
declare function upsertLocal(price: { id: number }): void;

export async function typedClientExample() {
  // README: Typed client
  const api = hc<AppType>("https://vbp.example.org").api.v1;
  const res = await api.prices.$get({ query: { q: "阿托伐他汀", limit: "20" } });
  if (!res.ok) throw new Error(`search failed: ${res.status}`);
  for (const p of (await res.json()).data) console.log(p.product.genericName, p.chosenPrice, p.discountPct);
  // README: end
}

export async function nightlySyncExample() {
  // README: Change feed
  const api = hc<AppType>("https://vbp.example.org").api.v1;
  const since = loadToken() ?? "2026-01-01T00:00:00+08:00"; // where the last night's sync stopped
  let cursor: string | undefined;
  do {
    const res = await api.prices.$get({ query: { updatedSince: since, limit: "200", ...(cursor ? { cursor } : {}) } });
    if (!res.ok) throw new Error(`sync failed: ${res.status}`);
    const page = await res.json();
    for (const p of page.data) p.change?.tombstone ? removeLocal(p.id) : upsertLocal(p);
    cursor = page.meta.nextCursor ?? undefined;
    if (!cursor) saveToken(page.meta.syncToken!); // next night starts here
  } while (cursor);
  // README: end
}
