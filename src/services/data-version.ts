import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/**
 * The data version: a counter in app_meta that every import bumps in the same atomic batch as its
 * rows (src/services/imports.ts). Anything derived from the data may be cached under it.
 */
export async function readDataVersion(db: Db): Promise<string> {
  const row = await db.get<{ value: string }>(sql`SELECT value FROM app_meta WHERE key = 'data_version'`);
  return row?.value ?? "0";
}
