import { type Client, createClient } from "@libsql/client";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/libsql";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

/** The one database type every service takes: libSQL (file or server) and D1 both satisfy it. */
export type Db = BaseSQLiteDatabase<"async", unknown, typeof schema> & {
  /** Atomic on libSQL and on D1 (which refuses BEGIN): every multi-statement write goes through it. */
  batch<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(batch: T): Promise<BatchResponse<T>>;
};

export type LibsqlHandle = { db: Db; client: Client; close: () => void };

/**
 * Opens a libSQL database (embedded file or server). The caller owns and closes it. `wrap` stands
 * in for the client everywhere, drizzle included (an import thread's gate on the driver).
 */
export function openLibsql(url: string, authToken?: string, wrap: (client: Client) => Client = (c) => c): LibsqlHandle {
  const client = wrap(createClient({ url, authToken }));
  // as unknown as: drizzle's libSQL database type declares its own batch() signature, narrower than Db's common one.
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, client, close: () => client.close() };
}

/** The libSQL client a drizzle database runs on (embedded file or server); null on D1 or another driver. */
export function libsqlClientOf(db: Db): Client | null {
  // as unknown as: every drizzle driver's database has `$client`, but Db (the drivers' common type) does not declare it.
  const client = (db as unknown as { $client?: Partial<Client> }).$client;
  return client && typeof client.transaction === "function" && typeof client.execute === "function" && typeof client.protocol === "string"
    ? (client as Client)
    : null;
}
