import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";

/** How long a process trusts the data version it last read. */
const FRESH_MS = 1000;

type Known = { value: string; at: number };

/** Per database (its driver client: D1's Db object is built per request, its binding is not). */
const known = new WeakMap<object, Known>();
const generation = new WeakMap<object, number>();
const keyOf = (db: Db): object => (db as unknown as { $client?: object }).$client ?? db;

/**
 * The data version: a counter in app_meta that every import bumps in the same atomic batch as its
 * rows (src/import/validate-rows.ts). Anything derived from the data may be cached under it.
 * Every public read asks for it, so it is read from the database at most once a second: an import
 * through this process is seen at once (dataChanged), one by another process (the CLI, another
 * isolate) within a second.
 */
export async function readDataVersion(db: Db, now = Date.now()): Promise<string> {
  const key = keyOf(db);
  const hit = known.get(key);
  if (hit && now - hit.at < FRESH_MS) return hit.value;
  const startedIn = generation.get(key) ?? 0;
  const [row] = await readRows<{ value: string }>(db, "SELECT value FROM app_meta WHERE key = 'data_version'");
  const value = row?.value ?? "0";
  // An import that finished while this read was under way may have made its answer old.
  if ((generation.get(key) ?? 0) === startedIn) known.set(key, { value, at: now });
  return value;
}

/** After an import through this process: the next read asks the database again. */
export function dataChanged(db: Db): void {
  const key = keyOf(db);
  known.delete(key);
  generation.set(key, (generation.get(key) ?? 0) + 1);
}
