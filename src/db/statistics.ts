import { getTableName, type SQL, sql } from "drizzle-orm";
import { type Db, libsqlClientOf } from "./client";
import { prices, products, volumes } from "./schema";
import { trustedSql } from "./trusted-sql";

/**
 * Rows ANALYZE reads per index (PRAGMA analysis_limit). Without a limit ANALYZE reads every row of
 * every index: seconds at a million prices, with the write lock held. SQLite's documentation
 * suggests 100–1000. Measured on imported databases (load average ~14): ANALYZE took 86 ms at
 * 100,000 prices and 186 ms at 200,000 with the limit, 0.7 s and 1.7 s without.
 */
export const ANALYSIS_LIMIT = 1000;

/** The tables whose plans depend most on statistics: every search, listing and rollup reads them. */
const PLANNED_TABLES = [prices, products, volumes];

/**
 * Keeps the planner's statistics (sqlite_stat1) current after data changed: `PRAGMA optimize`
 * re-analyzes the tables this connection's statements used whose size moved a lot since their last
 * ANALYZE (or that have none), bounded by `analysis_limit`. libSQL 3.45 has no 0x10000 flag
 * ("check every table") and no built-in limit (both came in SQLite 3.46), so the limit is set here
 * and this must run on the connection that wrote the rows (the import's own), after its commit.
 *
 * Never fails the caller: statistics only speed reads up, and D1 or a remote libSQL server may
 * refuse a pragma. Returns what ran, for logs and tests.
 */
export async function refreshStatistics(db: Db): Promise<{ ms: number; ok: boolean }> {
  const started = Date.now();
  try {
    // D1 accepts PRAGMA optimize but not every pragma: a refused limit must not skip the optimize.
    await db.run(trustedSql(`PRAGMA analysis_limit = ${ANALYSIS_LIMIT}`)).catch(() => undefined);
    await db.run(sql`PRAGMA optimize`);
    // An import that planned without statistics (importPlannerGuard) leaves none: taken again here.
    if (await lacksStatistics(db)) await db.run(sql`ANALYZE`);
    return { ms: Date.now() - started, ok: true };
  } catch (err) {
    console.error(
      JSON.stringify({ level: "warn", message: `statistics were not refreshed (PRAGMA optimize): ${String((err as Error)?.message ?? err).split("\n")[0]}` }),
    );
    return { ms: Date.now() - started, ok: false };
  }
}

/**
 * At server start: a database built before statistics were kept (or by a tool that never ran
 * ANALYZE) gets them now, once, bounded by `analysis_limit`. `PRAGMA optimize=0x10002` is what
 * SQLite ≥ 3.46 recommends on opening a long-lived connection; on libSQL's 3.45 a fresh connection
 * has used no table yet, so that alone does nothing, and a bounded ANALYZE runs instead when a
 * planned table holds rows but has no statistics.
 */
export async function ensureStatistics(db: Db): Promise<{ analyzed: boolean; ms: number }> {
  const started = Date.now();
  try {
    await db.run(trustedSql(`PRAGMA analysis_limit = ${ANALYSIS_LIMIT}`));
    await db.run(sql`PRAGMA optimize = 0x10002`);
    if (!(await lacksStatistics(db)) && !(await outgrewStatistics(db))) return { analyzed: false, ms: Date.now() - started };
    await db.run(sql`ANALYZE`);
    return { analyzed: true, ms: Date.now() - started };
  } catch (err) {
    console.error(JSON.stringify({ level: "warn", message: `statistics were not checked at start: ${String((err as Error)?.message ?? err).split("\n")[0]}` }));
    return { analyzed: false, ms: Date.now() - started };
  }
}

/** True when one of the planned tables has rows but sqlite_stat1 says nothing about it (sqlite_master and sqlite_stat1 are SQLite's own tables). */
async function lacksStatistics(db: Db): Promise<boolean> {
  const statTable = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`);
  const known = new Set<string>();
  if (statTable[0]?.n) {
    for (const r of await db.all<{ tbl: string }>(sql`SELECT DISTINCT tbl FROM sqlite_stat1`)) known.add(r.tbl);
  }
  for (const table of PLANNED_TABLES) {
    if (known.has(getTableName(table))) continue;
    const rows = await db.all<{ one: number }>(sql`SELECT 1 AS one FROM ${table} LIMIT 1`);
    if (rows.length) return true;
  }
  return false;
}

/**
 * Below this many rows by its statistics, the table an import writes is planned without them for
 * the import's transaction (importPlannerGuard). Any plan is quick on so few rows; the danger is the
 * rows the import itself adds.
 */
export const SMALL_STATISTICS_ROWS = 100_000;

/** The rows sqlite_stat1 says `table` holds; null when it says nothing (or the database has no statistics). */
async function analyzedRows(db: Db, table: string): Promise<number | null> {
  try {
    const rows = await db.all<{ n: number | null }>(sql`SELECT max(CAST(stat AS INTEGER)) AS n FROM sqlite_stat1 WHERE tbl = ${table}`);
    return rows[0]?.n ?? null;
  } catch {
    return null;
  }
}

/**
 * Statements that make an import's own transaction plan without statistics, when they describe the
 * table it writes (`table`) as small: SQLite then assumes large tables and looks rows up by index.
 * With statistics taken while a database held 3 prices, the planner chose to read every price once
 * per staged row (or per chunk), and 20,000 prices never finished importing (3,000 took 56 s),
 * because the table those statistics called tiny grew inside the transaction. Dropped inside the
 * transaction, so a failed import or a dry run's rollback restores them; a committed import takes
 * them again afterwards (refreshStatistics). Only on an embedded database (a libSQL server or D1
 * may refuse writes to sqlite_stat1, and the import with them).
 */
export async function importPlannerGuard(db: Db, table: string): Promise<SQL[]> {
  if (libsqlClientOf(db)?.protocol !== "file") return [];
  const rows = await analyzedRows(db, table);
  if (rows === null || rows >= SMALL_STATISTICS_ROWS) return [];
  return [sql`DELETE FROM sqlite_stat1`, sql`ANALYZE sqlite_schema`];
}

/**
 * True when a planned table holds ten times the rows its statistics say (and they say it is small):
 * a copy of a database file taken without its write-ahead log, or statistics written by another
 * tool. SQLite's own rule for re-analyzing is the same factor. Reads at most ten times the
 * analyzed rows of each such table.
 */
async function outgrewStatistics(db: Db): Promise<boolean> {
  for (const table of PLANNED_TABLES) {
    const analyzed = await analyzedRows(db, getTableName(table));
    if (analyzed === null || analyzed >= SMALL_STATISTICS_ROWS) continue;
    const bound = analyzed * 10 + 1;
    const rows = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${table} LIMIT ${bound})`);
    if ((rows[0]?.n ?? 0) >= bound) return true;
  }
  return false;
}
