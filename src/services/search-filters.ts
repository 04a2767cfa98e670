import type { Db } from "../db/client";
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
};

export async function priceSearchFilters(db: Db, query: PriceQuery): Promise<SearchFilters> {
  const rows: string[] = [];
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
    // A price without supply regions supplies the whole country.
    rows.push(`(ps.regions = '' OR ${codes.map((c) => `instr(ps.regions, ${textLiteral(`,${c},`)}) > 0`).join(" OR ")})`);
  }
  return { batch: query.batch, level: query.level, category: query.category, rows };
}

/** Every filter as conditions on ps rows, for queries that read rows rather than groups. */
export function allRowFilters(f: SearchFilters): string[] {
  const out: string[] = [];
  if (f.batch !== undefined) out.push(`ps.batch_id = ${textLiteral(f.batch)}`);
  if (f.level !== undefined) out.push(`ps.batch_id IN (SELECT id FROM batches WHERE level = ${textLiteral(f.level)})`);
  if (f.category !== undefined) out.push(`ps.category = ${textLiteral(f.category)}`);
  return [...out, ...f.rows];
}
