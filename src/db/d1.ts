import { drizzle } from "drizzle-orm/d1";
import type { Db } from "./client";
import * as schema from "./schema";

/** The part of a D1 binding this service calls; enough to recognise a real binding at runtime. */
export type D1Binding = {
  prepare(query: string): D1Statement;
  batch(statements: D1Statement[]): Promise<unknown[]>;
  exec(query: string): Promise<unknown>;
};
type D1Statement = { bind(...values: unknown[]): D1Statement };

/** True when `value` looks like a D1 binding (a misnamed or missing binding is usually `undefined`). */
export function isD1Binding(value: unknown): value is D1Binding {
  const v = value as Partial<D1Binding> | null | undefined;
  return typeof v === "object" && v !== null && typeof v.prepare === "function" && typeof v.batch === "function";
}

/** Wraps a D1 binding in the service's Db type. Cheap: built per request, holds no connection. */
export function openD1(binding: D1Binding): Db {
  // as unknown as (three times): D1Binding is the part of D1Database this code calls, drizzle's session is internal, and
  // drizzle's D1 database type declares its own batch() signature, narrower than Db's common one.
  const db = drizzle(binding as unknown as Parameters<typeof drizzle>[0], { schema });
  patchRawBatch(db as unknown as { session: BatchSession }, binding);
  return db as unknown as Db;
}

type Prepared = { stmt?: D1Statement; getQuery(): { sql: string; params: unknown[] }; mapResult(result: unknown, isFromBatch: boolean): unknown };
type BatchSession = { batch(queries: Array<{ _prepare(): Prepared }>): Promise<unknown[]> };

/**
 * drizzle-orm 0.45's D1 batch binds parameters through `prepared.stmt`, which raw `db.run(sql)`
 * items do not have, so every parameterised raw statement in a batch fails with "reading 'bind'".
 * The services write through raw SQL batches (atomic on D1, which refuses BEGIN), so prepare
 * those from their SQL text; query-builder items keep drizzle's own statement.
 */
function patchRawBatch(db: { session: BatchSession }, binding: D1Binding): void {
  db.session.batch = async (queries) => {
    const prepared = queries.map((q) => q._prepare());
    const statements = prepared.map((p) => {
      const { sql, params } = p.getQuery();
      return (p.stmt ?? binding.prepare(sql)).bind(...params);
    });
    const results = await binding.batch(statements);
    return results.map((r, i) => prepared[i]!.mapResult(r, true));
  };
}
