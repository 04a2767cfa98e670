import type { Client, InValue } from "@libsql/client";
import { type SQL, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { type D1Binding, d1BindingOf } from "./d1";
import { plainText, quoteIdentifier, trustedSql } from "./trusted-sql";

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
    const text = plainText(query);
    const q = text === null ? dialect.sqlToQuery(query) : { sql: text, params: [] };
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
 * The rows of `query` read as one JSON text that SQLite builds (json_group_array of json_array over
 * the columns `names`, which the query selects by those names), in no particular order: callers key
 * them. On @libsql/client every value of a row is a property defined on a fresh object (and, over a
 * libSQL server, a typed value on the wire), which for a page of 100 prices of 45 columns at a million
 * prices cost more than reading them: 4.2 ms a page as rows, 2.0 ms as one text (docs/performance.md).
 * For columns of integers and text only: JSON writes a real with 15 digits, and an integer beyond
 * 2^53 would lose its last digits where the driver refuses it. A column that is itself the result of
 * a JSON function would be embedded as JSON rather than as its text. On D1 the rows are read as
 * rows: its answers are JSON already, and it refuses a text over 2 MB (the matched groups of a
 * common word in a national decade of firms could pass that).
 */
export async function readRowsAsJson<T>(db: Db, query: SQL | string, names: ReadonlyArray<keyof T & string>, args: readonly InValue[] = []): Promise<T[]> {
  if (d1BindingOf(db)) return readRows<T>(db, query, args);
  const packed = `SELECT json_group_array(json_array(${names.map(quoteIdentifier).join(", ")})) AS j FROM`;
  const [row] = await readRows<{ j: string | null }>(db, typeof query === "string" ? `${packed} (${query})` : sql`${trustedSql(packed)} (${query})`, args);
  const arrays = JSON.parse(row?.j ?? "[]") as unknown[][];
  return arrays.map((values) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) out[names[i]!] = values[i];
    return out as T;
  });
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
