import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { appMeta } from "../db/schema";

/** How long a process trusts the data version it last read. */
const FRESH_MS = 1000;

type Known = { value: string; changedAt: string | null; at: number };

/** Per database (its driver client: D1's Db object is built per request, its binding is not). */
const known = new WeakMap<object, Known>();
const generation = new WeakMap<object, number>();
// as unknown as: every drizzle driver's database has `$client`, but Db (the drivers' common type) does not declare it.
const keyOf = (db: Db): object => (db as unknown as { $client?: object }).$client ?? db;

/**
 * The data version: a counter in app_meta that every import bumps in the same atomic batch as its
 * rows (src/import/validate-rows.ts). Anything derived from the data may be cached under it.
 * Every public read asks for it, so it is read from the database at most once a second: an import
 * through this process is seen at once (dataChanged), one by another process (the CLI, another
 * isolate) within a second.
 */
export async function readDataVersion(db: Db, now = Date.now()): Promise<string> {
  return (await readDataState(db, now)).value;
}

/**
 * The data version and when the data last changed (`data_changed_at`, stamped by a trigger in the
 * same write as the version: drizzle/0011_change_feed.sql), for Last-Modified; null before any import.
 */
export async function readDataState(db: Db, now = Date.now()): Promise<Omit<Known, "at">> {
  const key = keyOf(db);
  const hit = known.get(key);
  if (hit && now - hit.at < FRESH_MS) return hit;
  const startedIn = generation.get(key) ?? 0;
  const rows = await db
    .select({ key: appMeta.key, value: appMeta.value })
    .from(appMeta)
    .where(inArray(appMeta.key, ["data_version", "data_changed_at"]));
  const metaValue = (key: string) => rows.find((r) => r.key === key)?.value ?? null;
  const state = { value: metaValue("data_version") ?? "0", changedAt: metaValue("data_changed_at") };
  // An import that finished while this read was under way may have made its answer old.
  if ((generation.get(key) ?? 0) === startedIn) known.set(key, { ...state, at: now });
  return state;
}

/** After an import through this process: the next read asks the database again. */
export function dataChanged(db: Db): void {
  const key = keyOf(db);
  known.delete(key);
  generation.set(key, (generation.get(key) ?? 0) + 1);
}

/** Values derived from the data, per database, kept while its data version stays the same. */
const derived = new WeakMap<object, { version: string; values: Map<string, unknown> }>();

/** At most this many values are kept per database; past it they are all dropped and read again. */
const DERIVED_MAX = 1000;

/**
 * `compute()` once per data version for this key: for what is read from the data on every request
 * and changes only with an import (a place a filter names: 3–6 small reads). A value computed while
 * an import landed may be kept under the old version for up to a second, as readDataState says.
 */
export async function derivedFromData<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await readDataVersion(db);
  const owner = keyOf(db);
  let kept = derived.get(owner);
  if (!kept || kept.version !== version) derived.set(owner, (kept = { version, values: new Map() }));
  if (kept.values.has(key)) return kept.values.get(key) as T;
  const value = await compute();
  if (kept.values.size >= DERIVED_MAX) kept.values.clear();
  kept.values.set(key, value);
  return value;
}
