/**
 * Row shapes shared by `seeds/*.csv` and the synthetic generator. Every field is the CSV text of
 * its column (empty string = unknown), so a row can be unparsed as is and read back unchanged.
 */

import { PRODUCT_NAME_KEYS } from "../db/rows";
import type { Category, Level, ReferenceKind, RegionLevel } from "../db/schema";

// The enumerations are the schema's (src/db/schema.ts), so a seed row and a table row cannot drift apart.
export type { Category, ReferenceKind };
export type BatchLevel = Level;
/** CSV spelling of a boolean. */
export type BoolText = "true" | "false";

/** A CSV row of these columns: each column's text, but for the enumerated columns given in `Typed`. */
type CsvRow<Column extends string, Typed> = { [K in Column]: K extends keyof Typed ? Typed[K] : string };

export const BATCH_COLUMNS = [
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
  "publishedAvgDiscountPct",
  "publishedMaxDiscountPct",
  "publishedSavings",
  "source",
  "synthetic",
] as const;

export type BatchColumn = (typeof BATCH_COLUMNS)[number];

/**
 * One row of `batches.csv`. Dates are `YYYY-MM` or `YYYY-MM-DD`; counts and percents are decimal
 * text; `regionScope` is region names joined by `、` (`全国` for national batches).
 */
export type BatchRow = CsvRow<BatchColumn, { level: BatchLevel; category: Category; synthetic: BoolText }>;

export const PRICE_COLUMNS = [
  "batch",
  ...PRODUCT_NAME_KEYS,
  "chosenPrice",
  "referencePrice",
  "referenceKind",
  "supplyRegions",
  "agreedVolume",
  "cycleStart",
  "cycleEnd",
  "source",
  "synthetic",
] as const;

export type PriceColumn = (typeof PRICE_COLUMNS)[number];

/**
 * One row of `prices.csv`: one product chosen in one batch. Money is CNY yuan as decimal text (≤ 4
 * places); `supplyRegions` is region names or codes joined by `、`, empty = nationwide.
 */
export type PriceRow = CsvRow<PriceColumn, { category: Category; referenceKind: ReferenceKind | ""; synthetic: BoolText }>;

export const REGION_COLUMNS = ["code", "name", "parentCode", "level", "fundShare"] as const;

export type RegionColumn = (typeof REGION_COLUMNS)[number];

/** One row of `regions.csv`. `fundShare` is a percent (72.8), empty when unknown. */
export type RegionRow = CsvRow<RegionColumn, { level: Exclude<RegionLevel, "pooling"> }>;
