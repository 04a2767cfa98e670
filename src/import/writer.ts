import type { InStatement } from "@libsql/client";
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { type Db, libsqlClientOf } from "../db/client";
import { runBatch } from "../db/run-batch";

/**
 * How an import's statements reach the database, all or nothing. `chunks` is consumed in order;
 * when it throws (the file turned out to be invalid further down) nothing may remain written.
 * The import validates and produces statements while it reads, so a strategy sees chunks of a few
 * hundred rows at a time and never a million-statement array unless it chooses to build one.
 *
 * A runtime picks its strategy by passing `write` to runImport (AppDeps.importWrite over HTTP);
 * without one, `defaultAtomicWrite(db)` decides.
 */
export type AtomicWrite = ((db: Db, chunks: AsyncIterable<SQL[]>, beforeCommit?: (tx: Db) => Promise<void>) => Promise<void>) & {
  /** True when statements may bind thousands of parameters (libSQL); D1 allows 100 per statement. */
  bulkStatements?: boolean;
  /** Rows per chunk of statements this writer wants (default CHUNK_ROWS, which suits D1's 2 MB values). */
  chunkRows?: number;
  /** Set when the writer holds one connection for the whole import: rows staged per set-based apply. */
  stagedRows?: number;
};

const dialect = new SQLiteAsyncDialect();

/** A drizzle `sql` template as the libSQL client's statement. */
export function toStatement(statement: SQL): InStatement {
  const query = dialect.sqlToQuery(statement);
  return { sql: query.sql, args: query.params as InStatement extends { args?: infer A } ? A : never };
}

/** Rows per chunk and per set-based apply of the CLI's writer (`libsqlTransactionWrite`). */
export const TRANSACTION_CHUNK_ROWS = 5000;
export const TRANSACTION_STAGED_ROWS = 20_000;

/**
 * libSQL (embedded file or server): one write transaction on a connection of its own, fed chunk by
 * chunk. Readers keep seeing the old data until COMMIT; a failure rolls everything back.
 *
 * Holding one connection for the whole import lets kinds stage rows in TEMP tables and move them
 * with a few set-based statements per `stagedRows` rows (see StagedWrite).
 */
export function transactionWrite({
  chunkRows = TRANSACTION_CHUNK_ROWS,
  stagedRows = TRANSACTION_STAGED_ROWS,
}: {
  chunkRows?: number;
  stagedRows?: number;
} = {}): AtomicWrite {
  const write = async (db: Db, chunks: AsyncIterable<SQL[]>, beforeCommit?: (tx: Db) => Promise<void>) => {
    if (!libsqlClientOf(db)) throw new Error("libsqlTransactionWrite needs a libSQL database");
    // Deferred: the write lock is taken by the first INSERT, so validating a file that turns out
    // bad early never blocks other writers. Derived data (batch statistics) is written by
    // `beforeCommit` in the same transaction, so a crash never leaves prices without their stats.
    await db.transaction(
      async (tx) => {
        for await (const chunk of chunks) for (const statement of chunk) await tx.run(statement);
        // as unknown as: a libSQL transaction has every method of Db but batch(), which beforeCommit work does not call.
        await beforeCommit?.(tx as unknown as Db);
      },
      { behavior: "deferred" },
    );
  };
  return Object.assign(write, { bulkStatements: true, chunkRows, stagedRows });
}

export const libsqlTransactionWrite: AtomicWrite = transactionWrite();

/**
 * Any Db, D1 included (D1 refuses BEGIN): gathers every statement and sends them as one
 * batch (runBatch), which is atomic. Memory grows with the file, which the HTTP body limit bounds.
 */
export const singleBatchWrite: AtomicWrite = Object.assign(
  async (db: Db, chunks: AsyncIterable<SQL[]>, beforeCommit?: (tx: Db) => Promise<void>) => {
    const all: SQL[] = [];
    for await (const chunk of chunks) for (const s of chunk) all.push(s);
    if (all.length === 0) return;
    await runBatch(db, all);
    await beforeCommit?.(db);
  },
  // Chunk statements bind one JSON parameter each, so they suit D1's 100-parameter limit too.
  { bulkStatements: true },
);

/**
 * One batch, for every runtime and file the server takes (bounded by the HTTP body limit). The
 * CLI, which streams files of any size, passes `libsqlTransactionWrite` itself: in a long-lived
 * server a write transaction that meets a locked database leaves its pooled libSQL connection
 * unable to commit afterwards ("SQL statements in progress", @libsql/client 0.18), while a failed
 * batch leaves the connection clean.
 */
export function defaultAtomicWrite(_db: Db): AtomicWrite {
  return singleBatchWrite;
}

/** True when `db` is a libSQL client that can hold a write transaction (the CLI's writer). */
export function hasLibsqlTransactions(db: Db): boolean {
  return libsqlClientOf(db) !== null;
}
