import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";

/** A batch as a filter's option. */
export type BatchOption = { id: string; name: string; synthetic: boolean };

/**
 * Batches for the search page's 批次 filter: id, name and whether synthetic, newest first (as the
 * batch list orders them). Read on their own: the batch list's statistics (with bid landscapes)
 * are far more than a select needs.
 */
export async function batchOptions(db: Db): Promise<BatchOption[]> {
  const rows = await readRows<{ id: string; name: string; synthetic: number }>(
    db,
    sql`SELECT id, name, synthetic FROM batches ORDER BY COALESCE(announced, '') DESC, id ASC`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, synthetic: Boolean(r.synthetic) }));
}
