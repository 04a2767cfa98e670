import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { regionBit, regionMask } from "../domain/region-mask";
import { AppError } from "../errors";
import type { PriceQuery } from "./prices";
import { escapeLike, yuanToE4Loose } from "./price-filter-values";
import { findRegion, relatedRegionCodes } from "./regions";
import { intLiteral, textLiteral } from "./search-sql";

/**
 * The price query's filters for ranked search. Batch, level and category pick whole groups
 * (search_groups), so they cost nothing per price; the others are conditions on price_search rows
 * (alias ps) that its rank indexes cover, as SQL text with inlined values (see search-sql.ts).
 */
export type SearchFilters = {
  batch?: string;
  level?: string;
  category?: string;
  /** Conditions on ps rows; empty when only batch, level and category narrow the search. */
  rows: string[];
  /** Set when search_cells can count what `rows` keep without reading them (see CellFilter). */
  cells: CellFilter | null;
};

/**
 * The row filters as cells of search_cells (drizzle/0008_search_region_mask.sql): the bits to sum
 * (65 every price; a province's bit and 63, nationwide, for a region) from a reduction band up.
 * `region` says a region is among them: a group holding a price whose mask has every bit (64) must
 * then still be counted price by price.
 */
export type CellFilter = { bits: number[]; minBand: number | null; region: boolean };

/** Bit 63 of search_cells: prices that supply the whole country. */
const NATIONWIDE_BIT = 63;
const EVERY_PRICE_BIT = 65;

export async function priceSearchFilters(db: Db, query: PriceQuery): Promise<SearchFilters> {
  const rows: string[] = [];
  // The manufacturer and a maximum unit price are not in search_cells; a reduction is, in whole bands.
  let cellable = !query.manufacturer && query.maxUnitPrice === undefined;
  let minBand: number | null = null;
  let bits = [EVERY_PRICE_BIT];
  if (query.minDiscount !== undefined) {
    const bp = Math.round(query.minDiscount * 100);
    if (bp >= 0 && bp % 1000 === 0) minBand = bp / 1000;
    else cellable = false;
  }
  if (query.manufacturer) {
    // The one filter on a product field rather than a price column: a lookup per price.
    rows.push(`EXISTS (SELECT 1 FROM products pr WHERE pr.id = ps.product_id
      AND pr.manufacturer LIKE ${textLiteral(`%${escapeLike(query.manufacturer.trim())}%`)} ESCAPE '\\')`);
  }
  if (query.minDiscount !== undefined) rows.push(`ps.discount_bp >= ${intLiteral(Math.round(query.minDiscount * 100))}`);
  if (query.maxUnitPrice !== undefined) rows.push(`ps.unit_price_e4 <= ${intLiteral(Number(yuanToE4Loose(query.maxUnitPrice)))}`);
  if (query.region) {
    const region = await findRegion(db, query.region);
    if (!region) throw new AppError(400, "unknown_region", `region ${JSON.stringify(query.region)} is neither a known code nor a name`);
    const codes = await relatedRegionCodes(db, region.code);
    // A price without supply regions supplies the whole country. The masks first: an integer test
    // that rules out most prices before any text is searched.
    const instr = codes.map((c) => `instr(ps.regions, ${textLiteral(`,${c},`)}) > 0`).join(" OR ");
    rows.push(`(ps.regions = '' OR ((ps.region_mask & ${regionMask(codes).toString()}) <> 0 AND (${instr})))`);
    const bit = await wholeBitOf(db, codes);
    if (bit === null) cellable = false;
    else bits = [bit, NATIONWIDE_BIT];
  }
  const cells = rows.length && cellable ? { bits, minBand, region: Boolean(query.region) } : null;
  return { batch: query.batch, level: query.level, category: query.category, rows, cells };
}

/**
 * The bit of the region mask that stands for exactly these codes, or null: they must share one bit
 * and no other region may have it. A province with every region under it qualifies (its GB/T 2260
 * codes share their first two digits); a city does not, since its province's other cities share its
 * bit. The bit rule is regionMask's, written here in SQL as in migration 0008.
 */
async function wholeBitOf(db: Db, codes: string[]): Promise<number | null> {
  const bits = new Set(codes.map(regionBit));
  const [bit] = [...bits];
  if (bits.size !== 1 || bit === undefined || bit === null) return null;
  const [row] = await readRows<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM regions WHERE (unicode(substr(code, 1, 1)) * 7 + unicode(CASE WHEN length(code) > 1 THEN substr(code, 2, 1) ELSE ',' END)) % 53 = ?`,
    [bit],
  );
  return row?.n === codes.length ? bit : null;
}

/** Every filter as conditions on ps rows, for queries that read rows rather than groups. */
export function allRowFilters(f: SearchFilters): string[] {
  const out: string[] = [];
  if (f.batch !== undefined) out.push(`ps.batch_id = ${textLiteral(f.batch)}`);
  if (f.level !== undefined) out.push(`ps.batch_id IN (SELECT id FROM batches WHERE level = ${textLiteral(f.level)})`);
  if (f.category !== undefined) out.push(`ps.category = ${textLiteral(f.category)}`);
  return [...out, ...f.rows];
}
