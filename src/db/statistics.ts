import { sql } from "drizzle-orm";
import type { Db } from "./client";

/**
 * Keeps the query planner's statistics (sqlite_stat1) current. A database built by imports has none
 * until someone runs ANALYZE, and without them SQLite may pick a full scan over a covering index.
 * The sample is bounded (analysis_limit), so this costs milliseconds even at a million prices
 * (18 ms at 100,000 here). D1 refuses some pragmas; statistics are an optimisation, so a driver
 * that refuses them falls back to PRAGMA optimize and never fails the caller.
 */
export async function refreshStatistics(db: Db): Promise<void> {
  try {
    await db.run(sql`PRAGMA analysis_limit = 1000`);
    await db.run(sql`ANALYZE`);
  } catch {
    await db.run(sql`PRAGMA optimize`).catch(() => undefined);
  }
}

/** At start: statistics when there are none yet, else SQLite's own check for stale ones. */
export async function statisticsAtStart(db: Db): Promise<void> {
  const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'sqlite_stat1'`);
  if (!row?.n) return refreshStatistics(db);
  await db.run(sql`PRAGMA optimize`).catch(() => undefined);
}
