import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { d1BindingOf } from "./d1";

const dialect = new SQLiteAsyncDialect();

/** The rows one statement of a batch returned (none for a write), by column name. */
export type BatchRows = Array<Record<string, unknown>>;

/**
 * Runs raw SQL statements as one batch, all or nothing: a transaction on libSQL, and on D1 (which
 * refuses BEGIN) the binding's own `batch()`, its only transaction. Returns each statement's rows,
 * in order. On D1 each statement goes to the binding as text and parameters: drizzle-orm 0.45's D1
 * batch binds through a statement its query builder prepared, which a raw `sql` item does not have.
 */
export async function runBatch(db: Db, statements: readonly SQL[]): Promise<BatchRows[]> {
  if (statements.length === 0) return [];
  const binding = d1BindingOf(db);
  if (binding) {
    const prepared = statements.map((s) => {
      const q = dialect.sqlToQuery(s);
      return binding.prepare(q.sql).bind(...q.params);
    });
    return (await binding.batch(prepared)).map((r) => (r.results ?? []) as BatchRows);
  }
  const [first, ...rest] = statements.map((s) => db.run(s));
  const results: unknown[] = await db.batch([first!, ...rest]);
  // libSQL answers each item with its ResultSet, whose rows carry the selected columns as properties.
  return results.map((r) => ((r as { rows?: BatchRows } | undefined)?.rows ?? []) as BatchRows);
}
