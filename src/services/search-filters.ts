import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { PriceQuery } from "./prices";
import { escapeLike, yuanToE4Loose } from "./price-filter-values";
import { findRegion, relatedRegionCodes } from "./regions";

/**
 * The price query's filters as conditions on price_search (alias ps), so ranked search reads its
 * index without joining prices. `onlyBatchLevelCategory` says whether search_facets can count them.
 */
export async function priceSearchFilters(db: Db, query: PriceQuery): Promise<{ filters: SQL[]; onlyBatchLevelCategory: boolean }> {
  const filters: SQL[] = [];
  if (query.batch) filters.push(sql`ps.batch_id = ${query.batch}`);
  if (query.level) filters.push(sql`ps.batch_id IN (SELECT id FROM batches WHERE level = ${query.level})`);
  if (query.category) filters.push(sql`ps.category = ${query.category}`);
  const simple = filters.length;
  if (query.manufacturer) {
    filters.push(sql`EXISTS (SELECT 1 FROM products pr WHERE pr.id = ps.product_id
      AND pr.manufacturer LIKE ${`%${escapeLike(query.manufacturer.trim())}%`} ESCAPE '\\')`);
  }
  if (query.minDiscount !== undefined) filters.push(sql`ps.discount_bp >= ${Math.round(query.minDiscount * 100)}`);
  if (query.maxUnitPrice !== undefined) filters.push(sql`ps.unit_price_e4 <= ${Number(yuanToE4Loose(query.maxUnitPrice))}`);
  if (query.region) {
    const region = await findRegion(db, query.region);
    if (!region) throw new AppError(400, "unknown_region", `region ${JSON.stringify(query.region)} is neither a known code nor a name`);
    const codes = await relatedRegionCodes(db, region.code);
    // A price without region rows supplies the whole country.
    filters.push(sql`(NOT EXISTS (SELECT 1 FROM price_regions r WHERE r.price_id = ps.price_id)
      OR EXISTS (SELECT 1 FROM price_regions r WHERE r.price_id = ps.price_id AND r.region_code IN (${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )})))`);
  }
  return { filters, onlyBatchLevelCategory: filters.length === simple };
}
