import { asc, desc, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { batches } from "../db/schema";

/** A batch as a filter's option. */
export type BatchOption = { id: string; name: string; synthetic: boolean };

/**
 * Batches for the search page's 批次 filter: id, name and whether synthetic, newest first (as the
 * batch list orders them). Read on their own: the batch list's statistics (with bid landscapes)
 * are far more than a select needs.
 */
export async function batchOptions(db: Db): Promise<BatchOption[]> {
  return db
    .select({ id: batches.id, name: batches.name, synthetic: batches.synthetic })
    .from(batches)
    .orderBy(desc(sql`COALESCE(${batches.announced}, '')`), asc(batches.id));
}
