/**
 * Row shapes shared by `seeds/*.csv` and the synthetic generator. Every field is the CSV text of
 * its column (empty string = unknown), so a row can be unparsed as is and read back unchanged.
 */

import { BATCH_FIELD_KEYS, PRODUCT_NAME_KEYS } from "../db/rows";
import type { Category, Level, ReferenceKind, RegionLevel } from "../db/schema";

// The enumerations are the schema's (src/db/schema.ts), so a seed row and a table row cannot drift apart.
export type { Category, ReferenceKind };
export type BatchLevel = Level;
/** CSV spelling of a boolean. */
export type BoolText = "true" | "false";

/** A CSV row of these columns: each column's text, but for the enumerated columns given in `Typed`. */
type CsvRow<Column extends string, Typed> = { [K in Column]: K extends keyof Typed ? Typed[K] : string };

/**
 * The one difference between batches.csv and a batch's fields: the file gives the published
 * reductions as percents (`12.5`), the table keeps basis points (`1250`), under these names.
 */
export const BATCH_PERCENT_COLUMNS = { publishedAvgDiscountBp: "publishedAvgDiscountPct", publishedMaxDiscountBp: "publishedMaxDiscountPct" } as const;
type PercentField = keyof typeof BATCH_PERCENT_COLUMNS;
type FileColumn<K> = K extends PercentField ? (typeof BATCH_PERCENT_COLUMNS)[K] : K;
const isPercentField = (key: string): key is PercentField => Object.hasOwn(BATCH_PERCENT_COLUMNS, key);

export type BatchColumn = FileColumn<(typeof BATCH_FIELD_KEYS)[number]>;

/** The columns of batches.csv: a batch's fields in their order (src/db/rows.ts), the percents named as the file names them. */
export const BATCH_COLUMNS: readonly BatchColumn[] = BATCH_FIELD_KEYS.map((key) => (isPercentField(key) ? BATCH_PERCENT_COLUMNS[key] : key));

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
