import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { bumpDataVersion } from "../db/data-version-sql";
import { runBatch } from "../db/run-batch";
import { appMeta } from "../db/schema";
import { bareColumns, commaList, identifier, quoteIdentifier, trustedSql } from "../db/trusted-sql";
import { AppError } from "../errors";
import { discardUnfinishedJournals, JOURNALED_TABLES } from "../import/journal";
import type { AtomicWrite } from "../import/writer";

/**
 * All-or-nothing imports on D1, which refuses BEGIN: one batch (runBatch) is D1's only transaction.
 *
 * A file whose statements fit `singleBatchMax` goes in one batch (atomic; readers never see part of
 * it). A larger one is written in chunks of `chunkSize` statements, each a batch, with an undo
 * journal: while the import runs, triggers created from the live table definitions record every
 * row it inserts, updates or deletes in the base tables (`import_undo`). On success the journal is
 * dropped; on any failure (an invalid row further down, a D1 error) the journal is replayed
 * backwards, so nothing is left behind. The derived tables (search, savings rollups) follow
 * through their own triggers. If the Worker is killed mid-import (CPU limit), the next import
 * finds the journal and undoes the abandoned one first. Readers can see a partly written large
 * import for its duration; the data version is bumped before and after, so no cached answer of
 * that in-between state outlives it.
 */
export type D1WriteOptions = { singleBatchMax?: number; chunkSize?: number };

/** Statements per batch measured to stay far below D1's 30 s per query and the 128 MB of a Worker. */
export const D1_SINGLE_BATCH_MAX = 5_000;
export const D1_CHUNK_SIZE = 1_000;

const LOCK_KEY = "staged_import_started_at";
/** An abandoned lock older than this (a killed Worker) is taken over and its import undone. */
const STALE_LOCK_MS = 15 * 60 * 1000;

/**
 * runImport's AtomicWrite for D1. It takes no `beforeCommit`: the journaled chunks leave no single
 * commit to run work before, so runImport writes the batch statistics after the write instead.
 */
export function d1StagedWrite(options: D1WriteOptions = {}): AtomicWrite {
  const singleBatchMax = options.singleBatchMax ?? D1_SINGLE_BATCH_MAX;
  const chunkSize = options.chunkSize ?? D1_CHUNK_SIZE;
  return async (db, chunks) => {
    await recoverAbandoned(db);
    const buffered: SQL[][] = [];
    let statements = 0;
    const iterator = chunks[Symbol.asyncIterator]();
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        if (statements) await runBatch(db, buffered.flat());
        return;
      }
      buffered.push(next.value);
      statements += next.value.length;
      if (statements > singleBatchMax) break;
    }
    await stagedWrite(db, buffered, iterator, chunkSize);
  };
}

async function stagedWrite(db: Db, first: SQL[][], rest: AsyncIterator<SQL[]>, chunkSize: number): Promise<void> {
  await takeLock(db);
  try {
    await installJournal(db);
    await runBatch(db, [bumpDataVersion()]);
    // A chunk's statements always share a batch (a volume chunk's set-based rollup statements must
    // run together: src/import/kinds/volumes.ts), so a batch is whole chunks, sent once they reach
    // chunkSize statements.
    let pending: SQL[] = [];
    const add = async (chunk: SQL[]) => {
      pending.push(...chunk);
      if (pending.length >= chunkSize) {
        await runBatch(db, pending);
        pending = [];
      }
    };
    for (const chunk of first) await add(chunk);
    for (;;) {
      const next = await rest.next();
      if (next.done) break;
      await add(next.value);
    }
    if (pending.length) await runBatch(db, pending);
    await runBatch(db, [...dropJournalTriggers(), sql`DELETE FROM import_undo`, bumpDataVersion(), releaseLock()]);
  } catch (err) {
    await undoAbandoned(db);
    throw err;
  }
}

const meta = bareColumns(appMeta);
const releaseLock = () => sql`DELETE FROM ${appMeta} WHERE ${meta.key} = ${LOCK_KEY}`;

/** One staged import at a time across all isolates: the journal records every writer's rows. */
async function takeLock(db: Db): Promise<void> {
  const now = new Date().toISOString();
  const rows = await db.all<{ value: string }>(sql`INSERT INTO ${appMeta} (${meta.key}, ${meta.value}) VALUES (${LOCK_KEY}, ${now})
    ON CONFLICT(${meta.key}) DO NOTHING RETURNING ${meta.value}`);
  if (rows.length === 0) throw new AppError(409, "import_running", "a large import is being written in chunks; try again when it has finished");
}

/** A lock left by a Worker that died mid-import: undo what it wrote, then free the lock. */
async function recoverAbandoned(db: Db): Promise<void> {
  const lock = await db.get<{ value: string }>(sql`SELECT ${meta.value} FROM ${appMeta} WHERE ${meta.key} = ${LOCK_KEY}`);
  if (!lock) return;
  if (Date.now() - Date.parse(lock.value) < STALE_LOCK_MS) {
    throw new AppError(409, "import_running", "a large import is being written in chunks; try again when it has finished");
  }
  await undoAbandoned(db);
}

/**
 * Undoes a chunked import that did not finish. The withdrawal journal it was writing
 * (src/import/journal.ts) goes first, triggers included, so the undo is not journaled as a change.
 */
async function undoAbandoned(db: Db): Promise<void> {
  await runBatch(db, discardUnfinishedJournals());
  await undoJournal(db);
  await runBatch(db, [bumpDataVersion(), releaseLock()]);
}

async function columnsOf(db: Db, table: string): Promise<string[]> {
  const rows = await db.all<{ name: string }>(sql`SELECT name FROM pragma_table_info(${table})`);
  return rows.map((r) => r.name);
}

// import_undo is this writer's own table (created below, emptied after each import), not in src/db/schema.ts: its names stay literal.
const triggerName = (table: string, op: string) => quoteIdentifier(`import_undo_${table}_${op}`);

/** Journal triggers from the tables as they are now, so a column added later is journaled too. */
async function installJournal(db: Db): Promise<void> {
  const statements: SQL[] = [
    trustedSql(
      `CREATE TABLE IF NOT EXISTS import_undo (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, op TEXT NOT NULL, rid INTEGER NOT NULL, old TEXT)`,
    ),
  ];
  for (const table of JOURNALED_TABLES) {
    const cols = await columnsOf(db, table);
    const oldJson = `json_object(${cols.map((c) => `'${c.replace(/'/g, "''")}', old.${quoteIdentifier(c)}`).join(", ")})`;
    const t = `'${table}'`;
    statements.push(
      trustedSql(`CREATE TRIGGER IF NOT EXISTS ${triggerName(table, "ai")} AFTER INSERT ON ${quoteIdentifier(table)} BEGIN
        INSERT INTO import_undo (tbl, op, rid) VALUES (${t}, 'i', new.rowid); END`),
      trustedSql(`CREATE TRIGGER IF NOT EXISTS ${triggerName(table, "au")} AFTER UPDATE ON ${quoteIdentifier(table)} BEGIN
        INSERT INTO import_undo (tbl, op, rid, old) VALUES (${t}, 'u', old.rowid, ${oldJson}); END`),
      trustedSql(`CREATE TRIGGER IF NOT EXISTS ${triggerName(table, "ad")} AFTER DELETE ON ${quoteIdentifier(table)} BEGIN
        INSERT INTO import_undo (tbl, op, rid, old) VALUES (${t}, 'd', old.rowid, ${oldJson}); END`),
    );
  }
  await runBatch(db, statements);
}

function dropJournalTriggers(): SQL[] {
  return JOURNALED_TABLES.flatMap((table) => ["ai", "au", "ad"].map((op) => trustedSql(`DROP TRIGGER IF EXISTS ${triggerName(table, op)}`)));
}

type UndoRow = { seq: number; tbl: string; op: "i" | "u" | "d"; rid: number; old: string | null };
const UNDO_PAGE = 500;

/**
 * Replays the journal newest first. The triggers go first so the undo is not journaled itself;
 * each page of undo statements deletes its journal rows in the same batch, so an undo that is
 * interrupted resumes where it stopped.
 */
async function undoJournal(db: Db): Promise<void> {
  const exists = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'import_undo'`);
  await runBatch(db, dropJournalTriggers());
  if (!exists?.n) return;
  const columns = new Map<string, string[]>();
  for (const table of JOURNALED_TABLES) columns.set(table, await columnsOf(db, table));
  for (;;) {
    const page = await db.all<UndoRow>(sql`SELECT seq, tbl, op, rid, old FROM import_undo ORDER BY seq DESC LIMIT ${UNDO_PAGE}`);
    if (page.length === 0) return;
    const statements = page.map((u) => undoStatement(u, columns.get(u.tbl) ?? []));
    statements.push(sql`DELETE FROM import_undo WHERE seq >= ${page[page.length - 1]!.seq}`);
    await runBatch(db, statements);
  }
}

function undoStatement(u: UndoRow, cols: string[]): SQL {
  const table = identifier(u.tbl);
  if (u.op === "i") return sql`DELETE FROM ${table} WHERE rowid = ${u.rid}`;
  const value = (c: string) => sql`json_extract(${u.old}, ${`$."${c.replace(/"/g, '\\"')}"`})`;
  if (u.op === "u") {
    return sql`UPDATE ${table} SET ${sql.join(
      cols.map((c) => sql`${identifier(c)} = ${value(c)}`),
      sql`, `,
    )} WHERE rowid = ${u.rid}`;
  }
  return sql`INSERT INTO ${table} (rowid, ${commaList(cols.map(identifier))}) VALUES (${u.rid}, ${sql.join(cols.map(value), sql`, `)})`;
}
