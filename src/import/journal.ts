import { getTableName, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import {
  type agreedVolumes,
  type batches,
  type bids,
  importJournalRanges,
  importJournalRows,
  importJournals,
  type priceRegions,
  type prices,
  type products,
  type regions,
  type volumes,
} from "../db/schema";
import { bareColumns, columnNames, quoteIdentifier, trustedSql } from "../db/trusted-sql";

/**
 * The journal an import writes beside its rows, in the same atomic write, so that it can later be
 * withdrawn (src/services/import-withdrawal.ts) restoring exactly what it replaced:
 * - rows it inserted are not copied: SQLite gives a new row the next rowid, so they are the rowids
 *   above each table's largest rowid when the import began (`lo`) up to the largest at its end
 *   (`hi`), recorded in import_journal_ranges; a million new prices cost two numbers;
 * - rows it updated or deleted are copied whole (JSON) by triggers before their first change, in
 *   import_journal_rows. The triggers exist only while the import writes: created by its first
 *   statements, dropped by its last, so no other write pays for them.
 */

/** The SQL names the schema gives these tables: a table renamed in src/db/schema.ts fails typecheck below. */
type BaseTableName = (
  | typeof batches
  | typeof regions
  | typeof products
  | typeof prices
  | typeof priceRegions
  | typeof bids
  | typeof agreedVolumes
  | typeof volumes
)["_"]["name"];

/** Base tables imports write. Derived tables (search, rollups) follow through their own triggers. */
export const JOURNALED_TABLES = [
  "batches",
  "regions",
  "products",
  "prices",
  "price_regions",
  "bids",
  "agreed_volumes",
  "volumes",
] as const satisfies ReadonlyArray<BaseTableName>;
export type JournaledTable = (typeof JOURNALED_TABLES)[number];

export type ImportJournal = {
  /** Names the journal until its import's audit row points at it (imports.journal_id). */
  key: string;
  /** Statements that open the journal: they go before the import's first row. */
  start: SQL[];
  /** Statements that close it, given the batches whose statistics the import recomputes. */
  end: (batches: Iterable<string>) => SQL[];
};

/* The journal's tables and columns through the schema, as text for the triggers built below. */
const JOURNALS = getTableName(importJournals);
const J = columnNames(importJournals);
const RANGES = getTableName(importJournalRanges);
const RANGE = columnNames(importJournalRanges);
const ROWS = getTableName(importJournalRows);
const ROW = columnNames(importJournalRows);
const bare = bareColumns(importJournals);

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
export const journalTriggerName = (table: string, op: "au" | "ad") => quoteIdentifier(`import_journal_${table}_${op}`);

export async function columnsOf(db: Db, table: string): Promise<string[]> {
  // pragma_table_info is SQLite's, not the schema's.
  const rows = await db.all<{ name: string }>(sql`SELECT name FROM pragma_table_info(${table})`);
  return rows.map((r) => r.name);
}

/** A journal for one import; triggers are built from the tables as they are now, so a new column is copied too. */
export async function openImportJournal(db: Db): Promise<ImportJournal> {
  const key = crypto.randomUUID();
  const journalId = `(SELECT ${J.id} FROM ${JOURNALS} WHERE ${J.key} = ${literal(key)})`;
  const start: SQL[] = [sql`INSERT INTO ${importJournals} (${bare.key}) VALUES (${key})`];
  for (const table of JOURNALED_TABLES) {
    const cols = await columnsOf(db, table);
    const old = `json_object(${cols.map((c) => `${literal(c)}, old.${quoteIdentifier(c)}`).join(", ")})`;
    const t = literal(table);
    // Rows this import inserted itself (rowid above lo) need no copy: withdrawing deletes them.
    const before = `old.rowid <= (SELECT ${RANGE.lo} FROM ${RANGES} WHERE ${RANGE.journalId} = ${journalId} AND ${RANGE.tbl} = ${t})`;
    const firstChange = `NOT EXISTS (SELECT 1 FROM ${ROWS} WHERE ${ROW.journalId} = ${journalId} AND ${ROW.tbl} = ${t} AND ${ROW.rid} = old.rowid)`;
    start.push(
      trustedSql(
        `INSERT INTO ${RANGES} (${RANGE.journalId}, ${RANGE.tbl}, ${RANGE.lo}) VALUES (${journalId}, ${t}, (SELECT coalesce(max(rowid), 0) FROM ${quoteIdentifier(table)}))`,
      ),
    );
    for (const [op, event] of [
      ["au", "UPDATE"],
      ["ad", "DELETE"],
    ] as const) {
      start.push(
        trustedSql(`DROP TRIGGER IF EXISTS ${journalTriggerName(table, op)}`),
        trustedSql(`CREATE TRIGGER ${journalTriggerName(table, op)} AFTER ${event} ON ${quoteIdentifier(table)} WHEN ${before} AND ${firstChange} BEGIN
          INSERT INTO ${ROWS} (${ROW.journalId}, ${ROW.tbl}, ${ROW.op}, ${ROW.rid}, ${ROW.old}) VALUES (${journalId}, ${t}, '${op[1]}', old.rowid, ${old}); END`),
      );
    }
  }
  const end = (batches: Iterable<string>): SQL[] => [
    ...dropJournalTriggers(),
    ...JOURNALED_TABLES.map((table) =>
      trustedSql(`UPDATE ${RANGES} SET ${RANGE.hi} = (SELECT coalesce(max(rowid), 0) FROM ${quoteIdentifier(table)})
        WHERE ${RANGE.journalId} = ${journalId} AND ${RANGE.tbl} = ${literal(table)}`),
    ),
    sql`UPDATE ${importJournals} SET ${bare.finished} = 1, ${bare.batches} = ${JSON.stringify([...new Set(batches)].sort())} WHERE ${bare.key} = ${key}`,
  ];
  return { key, start, end };
}

export function dropJournalTriggers(): SQL[] {
  return JOURNALED_TABLES.flatMap((table) => (["au", "ad"] as const).map((op) => trustedSql(`DROP TRIGGER IF EXISTS ${journalTriggerName(table, op)}`)));
}

/**
 * Journals a D1 chunked import left unfinished (it failed or its Worker died): their rows are
 * undone by that writer's own undo journal, so these are dropped with the triggers.
 */
export function discardUnfinishedJournals(): SQL[] {
  return [
    ...dropJournalTriggers(),
    trustedSql(`DELETE FROM ${ROWS} WHERE ${ROW.journalId} IN (SELECT ${J.id} FROM ${JOURNALS} WHERE ${J.finished} = 0)`),
    trustedSql(`DELETE FROM ${RANGES} WHERE ${RANGE.journalId} IN (SELECT ${J.id} FROM ${JOURNALS} WHERE ${J.finished} = 0)`),
    trustedSql(`DELETE FROM ${JOURNALS} WHERE ${J.finished} = 0`),
  ];
}

/** The import's statements with the journal opened before the first and closed after the last. */
export async function* journaled(chunks: AsyncIterable<SQL[]>, journal: ImportJournal, batches: () => Iterable<string>): AsyncGenerator<SQL[]> {
  let opened = false;
  for await (const chunk of chunks) {
    yield opened ? chunk : [...journal.start, ...chunk];
    opened = true;
  }
  if (opened) yield journal.end(batches());
}
