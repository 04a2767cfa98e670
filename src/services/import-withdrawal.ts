import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { runBatch } from "../db/run-batch";
import {
  agreedVolumes,
  appMeta,
  batches,
  batchStats,
  bids,
  importJournalRanges,
  importJournalRows,
  importJournals,
  imports,
  priceRegions,
  priceSearch,
  prices,
  products,
  purchasesByPriceRegion,
  regions,
  SAVINGS_ROLLUPS,
  tombstones,
  volumes,
} from "../db/schema";
import { bareColumns, commaList, identifier, quoteIdentifier, renderedAlias, trustedSql } from "../db/trusted-sql";
import { AppError } from "../errors";
import { columnsOf, JOURNALED_TABLES, type JournaledTable } from "../import/journal";
import { BATCH_JSON, BATCH_TOMBSTONE_FROM, refreshBatchStats } from "./batches";
import { dataChanged } from "./data-version";
import { PRICE_FROM, PRICE_JSON } from "./price-view";
import { PRODUCT_JSON } from "./product-list";
import { priceSearchJson } from "./tombstones";

export type Withdrawal = {
  importId: number;
  withdrawnAt: string;
  withdrawnBy: string;
  /** Rows the import had added, now deleted. */
  rowsRemoved: number;
  /** Rows the import had changed or deleted, now as they were before it. */
  rowsRestored: number;
  /** Batches whose statistics were recomputed. */
  batches: string[];
};

/**
 * Where a row of one journaled table points at a row of another: a row added later that points
 * at a row this import added would be left dangling by the withdrawal (or, through ON DELETE
 * CASCADE, deleted with it), so it refuses instead. test/security/withdraw-import pins that every
 * foreign key of these tables is listed; renews_price_id is a link without a foreign key.
 */
export const JOURNAL_REFERENCES: ReadonlyArray<{ child: JournaledTable; column: string; parent: JournaledTable; key: string }> = [
  { child: "regions", column: regions.parentCode.name, parent: "regions", key: regions.code.name },
  { child: "prices", column: prices.batchId.name, parent: "batches", key: batches.id.name },
  { child: "prices", column: prices.productId.name, parent: "products", key: products.id.name },
  { child: "prices", column: prices.renewsPriceId.name, parent: "prices", key: prices.id.name },
  { child: "bids", column: bids.batchId.name, parent: "batches", key: batches.id.name },
  { child: "price_regions", column: priceRegions.priceId.name, parent: "prices", key: prices.id.name },
  { child: "price_regions", column: priceRegions.regionCode.name, parent: "regions", key: regions.code.name },
  { child: "agreed_volumes", column: agreedVolumes.priceId.name, parent: "prices", key: prices.id.name },
  { child: "agreed_volumes", column: agreedVolumes.regionCode.name, parent: "regions", key: regions.code.name },
  { child: "volumes", column: volumes.priceId.name, parent: "prices", key: prices.id.name },
  { child: "volumes", column: volumes.regionCode.name, parent: "regions", key: regions.code.name },
];

/** Tables whose integer primary key is the rowid itself (restored rows keep their id). */
const ROWID_KEYS: Partial<Record<JournaledTable, string>> = {
  products: products.id.name,
  prices: prices.id.name,
  bids: bids.id.name,
  agreed_volumes: agreedVolumes.id.name,
  volumes: volumes.id.name,
};

/*
 * Columns through the schema: bare where a statement reads one table unaliased, else under the
 * aliases the statements give their tables.
 */
const journalCols = bareColumns(importJournals);
const rangeCols = bareColumns(importJournalRanges);
const i = renderedAlias(imports, "i");
const j = renderedAlias(importJournals, "j");
const r = renderedAlias(importJournalRanges, "r");
const x = renderedAlias(importJournalRows, "x");
const y = renderedAlias(importJournalRows, "y");
const jy = renderedAlias(importJournals, "jy");
const o = renderedAlias(importJournalRows, "o");
const p = renderedAlias(prices, "p");
const ps = renderedAlias(priceSearch, "ps");
const b = renderedAlias(batches, "b");

/** The stamp of a row put back and of a tombstone: now, on the database's clock (the format of every updated_at). */
const DB_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

const table = (name: string) => identifier(name);
const auditCols = bareColumns(imports);
const metaCols = bareColumns(appMeta);
/*
 * Journal ids (integers read from the database) and table names (constants) go into the SQL as
 * literals: D1 binds at most 100 parameters per statement and the conflict check names each many times.
 */
const id = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`not a journal id: ${n}`);
  return trustedSql(String(n));
};
const name = (t: string | SQL) => (typeof t === "string" ? trustedSql(`'${t.replace(/'/g, "''")}'`) : t);

/**
 * Withdraws a succeeded import by its audit id: deletes the rows it added and puts back, whole,
 * the rows it changed or deleted, from the journal it wrote with them; derived tables (search,
 * savings) follow through their triggers and the batches' statistics are recomputed. Refused
 * (409 withdraw_conflict) when a later import, not itself withdrawn, changed the same rows or added
 * rows that point at rows this import added: withdraw that one first. All or nothing, in one batch
 * (libSQL and D1), which checks the conflicts again itself, so nothing can slip in between.
 */
export async function withdrawImport(db: Db, importId: number, actor: string): Promise<Withdrawal> {
  const [audit] = await db.all<{
    status: string;
    dryRun: number;
    journalId: number | null;
    withdrawnAt: string | null;
    withdrawnBy: string | null;
    batches: string | null;
  }>(sql`SELECT ${i.status} AS status, ${i.dryRun} AS dryRun, ${i.journalId} AS journalId, ${i.withdrawnAt} AS withdrawnAt,
      ${i.withdrawnBy} AS withdrawnBy, ${j.batches} AS batches
      FROM ${imports} ${i} LEFT JOIN ${importJournals} ${j} ON ${j.id} = ${i.journalId} WHERE ${i.id} = ${importId}`);
  if (!audit) throw new AppError(404, "import_not_found", `there is no import #${importId} in the audit log (GET /api/v1/imports lists them)`);
  if (audit.withdrawnAt) {
    throw new AppError(
      409,
      "import_already_withdrawn",
      `import #${importId} was already withdrawn at ${audit.withdrawnAt} by ${audit.withdrawnBy ?? "unknown"}`,
    );
  }
  if (audit.dryRun || audit.status !== "succeeded") {
    const what = audit.dryRun ? "was a dry run" : `was ${audit.status}`;
    throw new AppError(409, "import_not_withdrawable", `import #${importId} ${what} and wrote nothing; there is nothing to withdraw`);
  }
  if (audit.journalId === null || audit.batches === null) {
    throw new AppError(
      409,
      "import_not_withdrawable",
      `import #${importId} was recorded before imports kept a journal of what they replaced; it cannot be withdrawn`,
    );
  }
  const journal = audit.journalId;
  const later = await conflictingImports(db, journal);
  if (later.length) throw conflict(importId, later);

  const [counts] = await db.all<{ removed: number; restored: number }>(sql`SELECT
      (${sql.join(
        JOURNALED_TABLES.map((t) => sql`(SELECT count(*) FROM ${table(t)} WHERE ${inRange(journal, t, sql`rowid`)})`),
        sql` + `,
      )}) AS removed,
      (SELECT count(*) FROM ${importJournalRows} WHERE ${bareColumns(importJournalRows).journalId} = ${journal}) AS restored`);
  const withdrawnAt = new Date().toISOString();
  const guard = sql`EXISTS (SELECT 1 FROM ${importJournals} WHERE ${journalCols.id} = ${journal} AND ${journalCols.withdrawnAt} = ${withdrawnAt})`;
  const statements: SQL[] = [
    // First, and only when still free of conflicts: every later statement runs only if this one marked it.
    sql`UPDATE ${importJournals} SET ${journalCols.withdrawnAt} = ${withdrawnAt} WHERE ${journalCols.id} = ${journal} AND ${journalCols.withdrawnAt} IS NULL
      AND ${sql.join(
        conflictChecks(journal).map((check) => sql`NOT EXISTS (${check})`),
        sql` AND `,
      )}`,
    // Prices, products and batches it added leave a tombstone for their change feeds (src/services/tombstones.ts), written while they are still there to copy.
    ...(await tombstoneStatements(db, journal, importId, guard)),
    // Rows it added, children before parents.
    ...[...JOURNALED_TABLES].reverse().map((t) => sql`DELETE FROM ${table(t)} WHERE ${inRange(journal, t, sql`rowid`)} AND ${guard}`),
    // Rows it changed or deleted, parents before children: updated in place when still there, else inserted back.
    ...(await restoreStatements(db, journal, guard)),
    sql`DELETE FROM ${batchStats} WHERE ${bareColumns(batchStats).batchId} NOT IN (SELECT ${bareColumns(batches).id} FROM ${batches}) AND ${guard}`,
    // The rollup triggers subtract a deleted volume and leave its row at zero: such rows were not there before.
    ...Object.values(SAVINGS_ROLLUPS).map((t) => sql`DELETE FROM ${t} WHERE ${sql.identifier(t.parts.name)} = 0 AND ${guard}`),
    sql`DELETE FROM ${purchasesByPriceRegion} WHERE ${bareColumns(purchasesByPriceRegion).volumeRows} = 0 AND ${guard}`,
    sql`UPDATE ${imports} SET ${auditCols.withdrawnAt} = ${withdrawnAt}, ${auditCols.withdrawnBy} = ${actor} WHERE ${auditCols.id} = ${importId} AND ${guard}`,
    sql`INSERT INTO ${appMeta} (${metaCols.key}, ${metaCols.value}) SELECT 'data_version', '1' WHERE ${guard}
      ON CONFLICT(${metaCols.key}) DO UPDATE SET ${metaCols.value} = CAST(CAST(${metaCols.value} AS INTEGER) + 1 AS TEXT)`,
  ];
  try {
    await runBatch(db, statements);
  } catch (err) {
    // A row added later that collides with one put back (the same product in the same batch again).
    if (isConstraintError(err)) throw conflict(importId, await conflictingImports(db, journal), describe(err));
    throw err;
  } finally {
    dataChanged(db);
  }
  const [marked] = await db.select({ withdrawnAt: importJournals.withdrawnAt }).from(importJournals).where(eq(importJournals.id, journal));
  if (marked?.withdrawnAt !== withdrawnAt) {
    // Another import or withdrawal came between the check and the batch: nothing was changed.
    if (marked?.withdrawnAt) throw new AppError(409, "import_already_withdrawn", `import #${importId} was already withdrawn at ${marked.withdrawnAt}`);
    throw conflict(importId, await conflictingImports(db, journal));
  }
  const batchId = bareColumns(batches).id;
  const existing = await db.all<{ id: string }>(
    sql`SELECT ${batchId} AS id FROM ${batches} WHERE ${batchId} IN (SELECT value FROM json_each(${audit.batches}))`,
  );
  const refreshed = existing.map((row) => row.id);
  await refreshBatchStats(db, refreshed);
  return { importId, withdrawnAt, withdrawnBy: actor, rowsRemoved: counts?.removed ?? 0, rowsRestored: counts?.restored ?? 0, batches: refreshed };
}

/** `expr` is a rowid the import of `journal` added to `t`. */
function inRange(journal: number, t: string | SQL, expr: SQL): SQL {
  const range = sql`FROM ${importJournalRanges} WHERE ${rangeCols.journalId} = ${id(journal)} AND ${rangeCols.tbl} = ${name(t)}`;
  return sql`${expr} > (SELECT ${rangeCols.lo} ${range})
    AND ${expr} <= (SELECT ${rangeCols.hi} ${range})`;
}

/** Rows of `t` the import of `journal` changed or deleted (journaled), by rowid. */
const journaledRow = (journal: number, t: string | SQL, rowid: SQL) =>
  sql`EXISTS (SELECT 1 FROM ${importJournalRows} ${x} WHERE ${x.journalId} = ${id(journal)} AND ${x.tbl} = ${name(t)} AND ${x.rid} = ${rowid})`;

/**
 * What stands in the way, one row per problem: a later journal (not withdrawn) that changed a row
 * this import wrote, or a row this import did not write that points at a row it added.
 */
function conflictChecks(journal: number): SQL[] {
  const touched = sql`SELECT ${y.journalId} AS journal FROM ${importJournalRows} ${y} JOIN ${importJournals} ${jy} ON ${jy.id} = ${y.journalId}
    WHERE ${y.journalId} > ${id(journal)} AND ${jy.withdrawnAt} IS NULL
      AND (${journaledRow(journal, sql`${y.tbl}`, sql`${y.rid}`)} OR ${inRange(journal, sql`${y.tbl}`, sql`${y.rid}`)})`;
  const pointing = JOURNAL_REFERENCES.map(({ child, column, parent, key }) => {
    const ref = trustedSql(`c.${quoteIdentifier(column)}`);
    const added =
      ROWID_KEYS[parent] === key
        ? inRange(journal, parent, ref)
        : sql`${ref} IN (SELECT ${identifier(key)} FROM ${table(parent)} WHERE ${inRange(journal, parent, sql`rowid`)})`;
    // Named by the live import whose added rows hold it (rowids of a withdrawn import's rows may be used again).
    return sql`SELECT (SELECT ${r.journalId} FROM ${importJournalRanges} ${r} JOIN ${importJournals} ${j} ON ${j.id} = ${r.journalId} AND ${j.withdrawnAt} IS NULL
        WHERE ${r.tbl} = ${name(child)} AND c.rowid > ${r.lo} AND c.rowid <= ${r.hi}) AS journal
      FROM ${table(child)} c WHERE ${added}
        AND NOT (${inRange(journal, child, sql`c.rowid`)}) AND NOT ${journaledRow(journal, child, sql`c.rowid`)}`;
  });
  // Separate queries, not one UNION: D1 allows only a few terms in a compound SELECT.
  return [touched, ...pointing];
}

/** The later imports (audit ids) that stand in the way; [0] when a row's import cannot be named. */
async function conflictingImports(db: Db, journal: number): Promise<number[]> {
  const ids = new Set<number>();
  for (const check of conflictChecks(journal)) {
    const rows = await db.all<{ id: number | null }>(sql`SELECT DISTINCT ${i.id} AS id FROM (${check} LIMIT 1000) c
      LEFT JOIN ${imports} ${i} ON ${i.journalId} = c.journal LIMIT 20`);
    for (const r of rows) ids.add(r.id ?? 0);
  }
  return [...ids].sort((a, b) => b - a);
}

function conflict(importId: number, later: number[], cause?: string): AppError {
  const named = later.filter((id) => id > 0);
  const who = named.length
    ? `later import(s) ${named.map((id) => `#${id}`).join(", ")} changed rows it wrote or added rows that depend on them`
    : `rows written after it depend on it${cause ? ` (${cause})` : ""}`;
  return new AppError(
    409,
    "withdraw_conflict",
    `import #${importId} cannot be withdrawn: ${who}; withdraw the later import(s) first, newest first. Nothing was changed.`,
    {
      laterImports: named,
    },
  );
}

/**
 * A tombstone for each price, product and batch the import added: the row as its feed shows it, and
 * for a price its search row, so a filtered feed can tell whether its search matched it. A row of the
 * same id withdrawn before (and stored again since) has its tombstone replaced.
 */
async function tombstoneStatements(db: Db, journal: number, importId: number, guard: SQL): Promise<SQL[]> {
  const now = trustedSql(DB_NOW);
  const t = bareColumns(tombstones);
  const excluded = (column: SQL) => sql`${column} = excluded.${column}`;
  const upsert = sql`ON CONFLICT(${t.tbl}, ${t.rowId}) DO UPDATE SET ${commaList([t.importId, t.withdrawnAt, t.last, t.search].map(excluded))}`;
  const into = sql`INSERT INTO ${tombstones} (${commaList([t.tbl, t.rowId, t.importId, t.withdrawnAt, t.last, t.search])})`;
  // PRICE_FROM names prices p, BATCH_TOMBSTONE_FROM batches b.
  return [
    sql`${into} SELECT 'prices', CAST(${p.id} AS TEXT), ${id(importId)}, ${now}, ${PRICE_JSON}, ${await priceSearchJson(db)}
      FROM ${PRICE_FROM} LEFT JOIN ${priceSearch} ${ps} ON ${ps.priceId} = ${p.id}
      WHERE ${inRange(journal, "prices", sql`${p}.rowid`)} AND ${guard} ${upsert}`,
    sql`${into} SELECT 'products', CAST(${bareColumns(products).id} AS TEXT), ${id(importId)}, ${now}, ${PRODUCT_JSON}, NULL FROM ${products}
      WHERE ${inRange(journal, "products", sql`rowid`)} AND ${guard} ${upsert}`,
    sql`${into} SELECT 'batches', ${b.id}, ${id(importId)}, ${now}, ${BATCH_JSON}, NULL FROM ${BATCH_TOMBSTONE_FROM}
      WHERE ${inRange(journal, "batches", sql`${b}.rowid`)} AND ${guard} ${upsert}`,
  ];
}

async function restoreStatements(db: Db, journal: number, guard: SQL): Promise<SQL[]> {
  const out: SQL[] = [];
  for (const t of JOURNALED_TABLES) {
    const cols = await columnsOf(db, t);
    // A row put back is a change for a client that synced after the import: it gets a fresh stamp
    // (the database's clock, like every write), or a nightly sync keyed on updated_at never hears of it.
    const value = (c: string) =>
      c === "updated_at" ? trustedSql(DB_NOW) : sql`json_extract(${o.old}, ${trustedSql(`'$."${c.replace(/'/g, "''").replace(/"/g, '\\"')}"'`)})`;
    const entries = sql`${importJournalRows} ${o} WHERE ${o.journalId} = ${id(journal)} AND ${o.tbl} = ${name(t)}`;
    out.push(
      sql`UPDATE ${table(t)} SET (${commaList(cols.map(identifier))}) = (${sql.join(cols.map(value), sql`, `)})
        FROM ${entries} AND ${table(t)}.rowid = ${o.rid} AND ${guard}`,
    );
    const target = ROWID_KEYS[t] ? cols.map(quoteIdentifier).join(", ") : `rowid, ${cols.map(quoteIdentifier).join(", ")}`;
    const values = ROWID_KEYS[t] ? sql.join(cols.map(value), sql`, `) : sql`${o.rid}, ${sql.join(cols.map(value), sql`, `)}`;
    out.push(sql`INSERT INTO ${table(t)} (${trustedSql(target)}) SELECT ${values} FROM ${entries}
      AND NOT EXISTS (SELECT 1 FROM ${table(t)} WHERE rowid = ${o.rid}) AND ${guard}`);
  }
  return out;
}

function isConstraintError(err: unknown): boolean {
  return /constraint failed/i.test(describe(err));
}

function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) parts.push(e instanceof Error ? e.message : String(e));
  const m = /(UNIQUE|FOREIGN KEY|NOT NULL|CHECK) constraint failed[^\n]*/i.exec(parts.join(" "));
  return m ? m[0] : (parts[0] ?? "");
}
