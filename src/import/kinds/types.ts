import type { SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { ImportKind } from "../../db/schema";
import type { FieldDef } from "../headers";
import type { RowReader } from "../row-reader";

export type ImportOptions = {
  batch?: string;
  /** A file's own reduction (降幅) that differs from the computed one is an error instead of a warning. */
  strict?: boolean;
  /**
   * Names where rows without a source cell come from: each gets `<sourceNote>, row <n>` (the sheet
   * is added for a workbook), so every stored price can be traced to its cell.
   */
  sourceNote?: string;
};

/**
 * One import kind: its columns, how a row becomes a record (reporting every problem), the key
 * that makes two rows the same thing, and the SQL that upserts the records.
 */
export type KindSpec<Ctx, Rec> = {
  kind: ImportKind;
  fields: readonly FieldDef[];
  /** Loads what validation needs from the database (known batches, regions, prices). */
  prepare(db: Db, options: ImportOptions): Promise<Ctx>;
  readRow(r: RowReader, ctx: Ctx): Rec | null;
  /** Rows with the same key are duplicates within one file. */
  key(rec: Rec): string;
  /** Checks that need the whole file (e.g. a region's parent defined further down). */
  checkAll?(records: Array<{ row: number; rec: Rec }>, ctx: Ctx): Array<{ row: number; column: string | null; message: string }>;
  statements(rec: Rec, ctx: Ctx): SQL[];
  /** Optional faster form of `statements` for many records at once (multi-row statements). */
  chunkStatements?(recs: Rec[], ctx: Ctx): SQL[];
  /** Optional fastest form, for a writer that holds one connection for the whole import (the CLI). */
  staging?: StagedWrite<Ctx, Rec>;
  /** Warnings gathered over the whole file, asked for once at its end. */
  finish?(ctx: Ctx): string[];
  /** Warnings that need the database once the rows are written (or, in a dry run, validated). */
  checkWritten?(db: Db, ctx: Ctx, dryRun: boolean): Promise<string[]>;
  /** Rows this import added or changed: rows whose updated_at is at or after `since` (the database's clock). */
  countChanged?(db: Db, since: string, touchedBatches: string[]): Promise<number>;
  /** Batches whose statistics change when these records are written. */
  touchedBatches?(records: Rec[]): string[];
};

/**
 * Records are first copied into TEMP tables (no indexes, no triggers: cheap), then moved into the
 * real tables by a few set-based INSERT … SELECT statements per slice of tens of thousands of rows.
 * A statement costs far more than its rows' share in SQLite when it runs triggers (it compiles the
 * trigger programs, opens a statement journal, reads every row's values out of a JSON parameter
 * once per statement), so fewer, bigger statements reading plain columns do the same work faster.
 * Everything runs inside the import's transaction, so a rejected file leaves no TEMP table either.
 */
export type StagedWrite<Ctx, Rec> = {
  /** Creates the empty TEMP tables. */
  begin(ctx: Ctx): SQL[];
  /** Copies records into the TEMP tables. */
  stage(recs: Rec[], ctx: Ctx): SQL[];
  /** Writes the staged records into the real tables, then empties the TEMP tables. */
  apply(ctx: Ctx): SQL[];
  /** Drops the TEMP tables. */
  end(ctx: Ctx): SQL[];
};
