import { count } from "drizzle-orm";
import type { Db } from "../db/client";
import { batches, type ImportKind } from "../db/schema";
import { AppError } from "../errors";
import { type ImportReport, runImport } from "./imports";

/** Seed files in the order their references need: regions and batches before prices. */
export const SEED_ORDER: ImportKind[] = ["regions", "batches", "prices"];

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(batches);
  return (row?.n ?? 0) === 0;
}

/** Imports a set of CSV files through the ordinary import path, stopping at the first rejected one. */
export async function importFiles(db: Db, files: Array<{ kind: ImportKind; name: string; bytes: Uint8Array }>, actor: string): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  for (const f of files) {
    const report = await runImport(db, { kind: f.kind, bytes: f.bytes, fileName: f.name, actor });
    reports.push(report);
    if (report.errors.length) {
      throw new AppError(
        422,
        "seed_rejected",
        `${f.name} was rejected: ${report.errors
          .slice(0, 3)
          .map((e) => `row ${e.row} ${e.column ?? ""}: ${e.message}`)
          .join("; ")}`,
      );
    }
  }
  return reports;
}
