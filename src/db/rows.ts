import { getTableColumns, getTableName, type SQL, type Table } from "drizzle-orm";
import type { BatchRow, PriceRow, ProductRow, RegionRow } from "./schema";
import { quoteIdentifier, trustedSql } from "./trusted-sql";

export type { PriceRow, ProductRow };

/*
 * Row types inferred from src/db/schema.ts: the one definition of what a row holds. A column
 * renamed or retyped in the schema changes every type below, and the code that reads it fails
 * to compile instead of reading undefined.
 */

/**
 * A row as a plain SQL read returns it (readRows, db.all): SQLite stores booleans as 0/1 and a
 * raw read does not turn them back, so a boolean column may come as a number.
 */
export type SqlRow<T> = {
  [K in keyof T]: [T[K]] extends [boolean] ? number | boolean : [T[K]] extends [boolean | null] ? number | boolean | null : T[K];
};

type ProductKeys = ReadonlyArray<keyof ProductRow>;

/**
 * A product's pack and firm, in the order every product column list names them: the answers
 * below, the seed CSVs (src/synthetic/columns.ts, src/cli/real-seeds.ts), whose column order is a
 * file format.
 */
export const PRODUCT_PACK_KEYS = [
  "dosageForm",
  "spec",
  "packageText",
  "packageQty",
  "packageUnit",
  "smallestUnit",
  "manufacturer",
] as const satisfies ProductKeys;

/** What names a product, in the order of the answers and the synthetic prices CSV. */
export const PRODUCT_NAME_KEYS = ["category", "genericName", "genericNameEn", ...PRODUCT_PACK_KEYS, "nhsaCode", "approvalNo"] as const satisfies ProductKeys;

/** The product fields every product and price answer carries, in the order a product's answer (and its tombstone's JSON) lists them. */
export const PRODUCT_ANSWER_KEYS = [...PRODUCT_NAME_KEYS, "brandNames", "originator", "manufacturerShort", "synthetic"] as const satisfies ProductKeys;

/** A batch's own fields (no timestamps): what an import writes and an answer reads. */
export type BatchFields = Omit<BatchRow, "createdAt" | "updatedAt">;

/**
 * A batch's fields in the order of batches.csv (a file format) and of the columns a batch import
 * writes; the file names its percents otherwise (src/synthetic/columns.ts, BATCH_PERCENT_COLUMNS).
 */
export const BATCH_FIELD_KEYS = [
  "id",
  "name",
  "level",
  "category",
  "organizer",
  "announced",
  "cycleStart",
  "cycleEnd",
  "regionScope",
  "publishedItems",
  "publishedProducts",
  "publishedFirms",
  "publishedAvgDiscountBp",
  "publishedMaxDiscountBp",
  "publishedSavings",
  "source",
  "synthetic",
] as const satisfies ReadonlyArray<keyof BatchFields>;

/**
 * A price's own columns as an import writes them (after batch_id and product_id), in the order of
 * the import's staged rows (src/import/kinds/prices-sql.ts), which is positional.
 */
export const PRICE_WRITTEN_KEYS = [
  "chosenPriceE4",
  "referencePriceE4",
  "referenceKind",
  "unitPriceE4",
  "discountBp",
  "supplyRegions",
  "agreedVolume",
  "cycleStart",
  "cycleEnd",
  "source",
  "synthetic",
  "ceilingPriceE4",
  "ceilingUnitPriceE4",
  "ceilingDiscountBp",
  "preVbpPriceE4",
  "preVbpUnitPriceE4",
  "preVbpDiscountBp",
] as const satisfies ReadonlyArray<keyof PriceRow>;

/** The primary baseline's copies on a price: they follow from the written baselines, so a change shows there. */
export const PRICE_DERIVED_KEYS = ["referencePriceE4", "referenceKind", "discountBp"] as const satisfies ReadonlyArray<(typeof PRICE_WRITTEN_KEYS)[number]>;

/** A region's columns an import updates (after its code). */
export const REGION_WRITTEN_KEYS = ["name", "parentCode", "level", "fundShareBp"] as const satisfies ReadonlyArray<keyof RegionRow>;

/** Those product fields as a plain SQL read returns them (brandNames still JSON text). */
export type ProductAnswerRow = SqlRow<Pick<ProductRow, (typeof PRODUCT_ANSWER_KEYS)[number]>>;

/**
 * `"col" AS "key", …` for these fields of a table, the SQL column names taken from the schema, so
 * a plain read (readRows keeps the names after AS) names no column by hand. `alias` qualifies
 * each column (`"pr"."generic_name"`).
 */
export function selectColumns<T extends Table>(table: T, keys: ReadonlyArray<keyof T["_"]["columns"] & string>, alias?: string): SQL {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const prefix = alias ? `${quoteIdentifier(alias)}.` : "";
  // One text chunk, written once per statement shape at load: foldedSql folds it into the text around it.
  return trustedSql(
    keys
      .map((key) => {
        const column = columns[key];
        if (!column) throw new Error(`no column ${key} in ${getTableName(table)}`);
        return `${prefix}${quoteIdentifier(column.name)} AS ${quoteIdentifier(key)}`;
      })
      .join(", "),
  );
}
