import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { importJournals } from "../db/schema";
import { commaList, identifier, quoteIdentifier, trustedSql } from "../db/trusted-sql";
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
  { child: "regions", column: "parent_code", parent: "regions", key: "code" },
  { child: "prices", column: "batch_id", parent: "batches", key: "id" },
  { child: "prices", column: "product_id", parent: "products", key: "id" },
  { child: "prices", column: "renews_price_id", parent: "prices", key: "id" },
  { child: "bids", column: "batch_id", parent: "batches", key: "id" },
  { child: "price_regions", column: "price_id", parent: "prices", key: "id" },
  { child: "price_regions", column: "region_code", parent: "regions", key: "code" },
  { child: "agreed_volumes", column: "price_id", parent: "prices", key: "id" },
  { child: "agreed_volumes", column: "region_code", parent: "regions", key: "code" },
  { child: "volumes", column: "price_id", parent: "prices", key: "id" },
  { child: "volumes", column: "region_code", parent: "regions", key: "code" },
];

/** Savings rollups (src/db/schema.ts), kept by triggers on volumes. */
const SAVINGS_ROLLUPS = [
  "savings_rollup_batch_region_month",
  "savings_rollup_batch_month",
  "savings_rollup_region_month",
  "savings_rollup_batch_region",
  "savings_rollup_batch",
  "savings_rollup_region",
  "savings_rollup_month",
];

/** Tables whose integer primary key is the rowid itself (restored rows keep their id). */
const ROWID_KEYS: Partial<Record<JournaledTable, string>> = { products: "id", prices: "id", bids: "id", agreed_volumes: "id", volumes: "id" };

/** The stamp of a row put back and of a tombstone: now, on the database's clock (the format of every updated_at). */
const DB_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

const table = (name: string) => identifier(name);
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
  }>(sql`SELECT i.status, i.dry_run AS dryRun, i.journal_id AS journalId, i.withdrawn_at AS withdrawnAt, i.withdrawn_by AS withdrawnBy,
      j.batches FROM imports i LEFT JOIN import_journals j ON j.id = i.journal_id WHERE i.id = ${importId}`);
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
      (SELECT count(*) FROM import_journal_rows WHERE journal_id = ${journal}) AS restored`);
  const withdrawnAt = new Date().toISOString();
  const guard = sql`EXISTS (SELECT 1 FROM import_journals WHERE id = ${journal} AND withdrawn_at = ${withdrawnAt})`;
  const statements: SQL[] = [
    // First, and only when still free of conflicts: every later statement runs only if this one marked it.
    sql`UPDATE import_journals SET withdrawn_at = ${withdrawnAt} WHERE id = ${journal} AND withdrawn_at IS NULL
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
    sql`DELETE FROM batch_stats WHERE batch_id NOT IN (SELECT id FROM batches) AND ${guard}`,
    // The rollup triggers subtract a deleted volume and leave its row at zero: such rows were not there before.
    ...SAVINGS_ROLLUPS.map((t) => sql`DELETE FROM ${table(t)} WHERE parts = 0 AND ${guard}`),
    sql`DELETE FROM purchase_rollup_price_region WHERE volume_rows = 0 AND ${guard}`,
    sql`UPDATE imports SET withdrawn_at = ${withdrawnAt}, withdrawn_by = ${actor} WHERE id = ${importId} AND ${guard}`,
    sql`INSERT INTO app_meta (key, value) SELECT 'data_version', '1' WHERE ${guard}
      ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
  ];
  try {
    // as unknown as: drizzle types batch() as a non-empty tuple, which an array built at run time cannot prove to be.
    await db.batch(statements.map((s) => db.run(s)) as unknown as [ReturnType<Db["run"]>]);
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
  const existing = await db.all<{ id: string }>(sql`SELECT id FROM batches WHERE id IN (SELECT value FROM json_each(${audit.batches}))`);
  const batches = existing.map((b) => b.id);
  await refreshBatchStats(db, batches);
  return { importId, withdrawnAt, withdrawnBy: actor, rowsRemoved: counts?.removed ?? 0, rowsRestored: counts?.restored ?? 0, batches };
}

/** `expr` is a rowid the import of `journal` added to `t`. */
function inRange(journal: number, t: string | SQL, expr: SQL): SQL {
  return sql`${expr} > (SELECT lo FROM import_journal_ranges WHERE journal_id = ${id(journal)} AND tbl = ${name(t)})
    AND ${expr} <= (SELECT hi FROM import_journal_ranges WHERE journal_id = ${id(journal)} AND tbl = ${name(t)})`;
}

/** Rows of `t` the import of `journal` changed or deleted (journaled), by rowid. */
const journaledRow = (journal: number, t: string | SQL, rowid: SQL) =>
  sql`EXISTS (SELECT 1 FROM import_journal_rows x WHERE x.journal_id = ${id(journal)} AND x.tbl = ${name(t)} AND x.rid = ${rowid})`;

/**
 * What stands in the way, one row per problem: a later journal (not withdrawn) that changed a row
 * this import wrote, or a row this import did not write that points at a row it added.
 */
function conflictChecks(journal: number): SQL[] {
  const touched = sql`SELECT y.journal_id AS journal FROM import_journal_rows y JOIN import_journals jy ON jy.id = y.journal_id
    WHERE y.journal_id > ${id(journal)} AND jy.withdrawn_at IS NULL
      AND (${journaledRow(journal, sql`y.tbl`, sql`y.rid`)} OR ${inRange(journal, sql`y.tbl`, sql`y.rid`)})`;
  const pointing = JOURNAL_REFERENCES.map(({ child, column, parent, key }) => {
    const ref = trustedSql(`c.${quoteIdentifier(column)}`);
    const added =
      ROWID_KEYS[parent] === key
        ? inRange(journal, parent, ref)
        : sql`${ref} IN (SELECT ${identifier(key)} FROM ${table(parent)} WHERE ${inRange(journal, parent, sql`rowid`)})`;
    // Named by the live import whose added rows hold it (rowids of a withdrawn import's rows may be used again).
    return sql`SELECT (SELECT r.journal_id FROM import_journal_ranges r JOIN import_journals j ON j.id = r.journal_id AND j.withdrawn_at IS NULL
        WHERE r.tbl = ${name(child)} AND c.rowid > r.lo AND c.rowid <= r.hi) AS journal
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
    const rows = await db.all<{ id: number | null }>(sql`SELECT DISTINCT i.id AS id FROM (${check} LIMIT 1000) c
      LEFT JOIN imports i ON i.journal_id = c.journal LIMIT 20`);
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
  const upsert = sql`ON CONFLICT(tbl, row_id) DO UPDATE SET import_id = excluded.import_id, withdrawn_at = excluded.withdrawn_at,
    last = excluded.last, search = excluded.search`;
  const into = sql`INSERT INTO tombstones (tbl, row_id, import_id, withdrawn_at, last, search)`;
  return [
    sql`${into} SELECT 'prices', CAST(p.id AS TEXT), ${id(importId)}, ${now}, ${PRICE_JSON}, ${await priceSearchJson(db)}
      FROM ${PRICE_FROM} LEFT JOIN price_search ps ON ps.price_id = p.id
      WHERE ${inRange(journal, "prices", sql`p.rowid`)} AND ${guard} ${upsert}`,
    sql`${into} SELECT 'products', CAST(id AS TEXT), ${id(importId)}, ${now}, ${PRODUCT_JSON}, NULL FROM products
      WHERE ${inRange(journal, "products", sql`rowid`)} AND ${guard} ${upsert}`,
    sql`${into} SELECT 'batches', b.id, ${id(importId)}, ${now}, ${BATCH_JSON}, NULL FROM ${BATCH_TOMBSTONE_FROM}
      WHERE ${inRange(journal, "batches", sql`b.rowid`)} AND ${guard} ${upsert}`,
  ];
}

async function restoreStatements(db: Db, journal: number, guard: SQL): Promise<SQL[]> {
  const out: SQL[] = [];
  for (const t of JOURNALED_TABLES) {
    const cols = await columnsOf(db, t);
    // A row put back is a change for a client that synced after the import: it gets a fresh stamp
    // (the database's clock, like every write), or a nightly sync keyed on updated_at never hears of it.
    const value = (c: string) =>
      c === "updated_at" ? trustedSql(DB_NOW) : trustedSql(`json_extract(o.old, '$."${c.replace(/'/g, "''").replace(/"/g, '\\"')}"')`);
    const entries = sql`import_journal_rows o WHERE o.journal_id = ${id(journal)} AND o.tbl = ${name(t)}`;
    out.push(
      sql`UPDATE ${table(t)} SET (${commaList(cols.map(identifier))}) = (${sql.join(cols.map(value), sql`, `)})
        FROM ${entries} AND ${table(t)}.rowid = o.rid AND ${guard}`,
    );
    const target = ROWID_KEYS[t] ? cols.map(quoteIdentifier).join(", ") : `rowid, ${cols.map(quoteIdentifier).join(", ")}`;
    const values = ROWID_KEYS[t] ? sql.join(cols.map(value), sql`, `) : sql`o.rid, ${sql.join(cols.map(value), sql`, `)}`;
    out.push(sql`INSERT INTO ${table(t)} (${trustedSql(target)}) SELECT ${values} FROM ${entries}
      AND NOT EXISTS (SELECT 1 FROM ${table(t)} WHERE rowid = o.rid) AND ${guard}`);
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
