import type { Client, InValue } from "@libsql/client";
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { type D1Binding, d1BindingOf } from "./d1";

const dialect = new SQLiteAsyncDialect();

function clientOf(db: Db): { libsql: Client } | { d1: D1Binding } | null {
  const d1 = d1BindingOf(db);
  if (d1) return { d1 };
  // as unknown as: every drizzle driver's database has `$client`, but Db (the drivers' common type) does not declare it.
  const c = (db as unknown as { $client?: Partial<Client> }).$client;
  return c && typeof c.execute === "function" ? { libsql: c as Client } : null;
}

/**
 * The rows of a read, straight from the driver. On libSQL, drizzle's `db.all` copies every row the
 * client has already built into a fresh object, and turning a `sql` template into text costs about
 * 5 µs; on the hot reads of search (a page of 50 prices of 31 columns, or a query of 0.2 ms that
 * matched nothing) these were most of the time spent outside SQLite. Rows keep their column names
 * as properties. `query` is a drizzle template, or SQL text with `?` placeholders for `args`.
 */
export async function readRows<T>(db: Db, query: SQL | string, args: readonly InValue[] = []): Promise<T[]> {
  const client = clientOf(db);
  if (typeof query !== "string") {
    if (!client || "d1" in client) return db.all<T>(query);
    const q = dialect.sqlToQuery(query);
    // as unknown as: @libsql/client types rows as Row (values by index and name); the caller names the columns it selected.
    return (await client.libsql.execute({ sql: q.sql, args: q.params as InValue[] })).rows as unknown as T[];
  }
  if (!client) throw new Error("readRows with SQL text needs a libSQL or D1 database");
  if ("d1" in client)
    return (
      await client.d1
        .prepare(query)
        .bind(...args)
        .all<T>()
    ).results;
  // as unknown as: as above, the rows typed by the columns the caller selected.
  return (await client.libsql.execute({ sql: query, args: [...args] })).rows as unknown as T[];
}

/**
 * A large read a page at a time (keyset paging): `page(after)` selects up to `pageRows` rows ordered
 * by a key, those after `after` (null: from the start), and `keyOf` names a row's key. Batch
 * statistics and bid landscapes read a million-price batch this way, never holding it whole.
 */
export async function* readPages<T, K>(db: Db, page: (after: K | null) => SQL, pageRows: number, keyOf: (row: T) => K): AsyncGenerator<T[]> {
  for (let after: K | null = null; ; ) {
    const rows = await readRows<T>(db, page(after));
    if (rows.length) yield rows;
    if (rows.length < pageRows) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}
