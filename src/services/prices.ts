import { readRows } from "../db/read-rows";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Category, Level } from "../db/schema";
import { notFound } from "../errors";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor";
import { PRICE_COLUMNS, PRICE_COLUMNS_SQL, PRICE_FROM, PRICE_FROM_SQL, regionNamesOf, toPriceView, type PriceSqlRow, type PriceView } from "./price-view";
import { findRegion, relatedRegionCodes } from "./regions";
import { AppError } from "../errors";
import { escapeLike, yuanToE4Loose } from "./price-filter-values";
import { decodeRankCursor, facetsOf, matchedGroups, planCondition, rankedPage, todayIso, type Facets } from "./search";
import { priceSearchFilters } from "./search-filters";
import { planSearch } from "./search-match";
import { intList } from "./search-sql";
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from "./search-tuning";
import { didYouMean } from "./search-suggest";

export { escapeLike } from "./price-filter-values";

export const PRICE_SORTS = ["relevance", "discount", "-discount", "unitPrice", "-unitPrice"] as const;
export type PriceSort = (typeof PRICE_SORTS)[number];

export type PriceQuery = {
  q?: string;
  batch?: string;
  level?: Level;
  category?: Category;
  region?: string;
  manufacturer?: string;
  minDiscount?: number;
  maxUnitPrice?: number;
  sort?: PriceSort;
  limit?: number;
  cursor?: string;
};

export type PricePage = {
  items: PriceView[];
  total: number;
  nextCursor: string | null;
  /** Counts of the matched set by batch, category and level; present when `q` is given. */
  facets?: Facets;
  /** Closest generic names when `q` matched nothing. */
  didYouMean?: string[];
};

/** SQL expression and direction of each sort; nulls always sort last so pages stay stable. */
function sortKey(sort: PriceSort): { expr: SQL; dir: "asc" | "desc" } {
  switch (sort) {
    case "discount":
      return { expr: sql`COALESCE(p.discount_bp, 1000000000)`, dir: "asc" };
    case "-discount":
      return { expr: sql`COALESCE(p.discount_bp, -1000000000)`, dir: "desc" };
    case "unitPrice":
      return { expr: sql`p.unit_price_e4`, dir: "asc" };
    case "-unitPrice":
      return { expr: sql`p.unit_price_e4`, dir: "desc" };
    case "relevance":
      // Without a text query, newest batches first.
      return { expr: sql`COALESCE(b.announced, '')`, dir: "desc" };
  }
}

/** The filters of a price query as SQL conditions (shared by search, count and CSV export). */
export async function priceFilters(db: Db, query: PriceQuery): Promise<SQL[]> {
  const where: SQL[] = [];
  if (query.q) {
    // The same matching as ranked search (names, 拼音码, English, firms, codes), as a set.
    const plan = await planSearch(db, query.q);
    if (plan) where.push(sql`p.id IN (SELECT ps.price_id FROM price_search ps WHERE ${planCondition(plan)})`);
  }
  if (query.batch) where.push(sql`p.batch_id = ${query.batch}`);
  if (query.level) where.push(sql`b.level = ${query.level}`);
  if (query.category) where.push(sql`pr.category = ${query.category}`);
  if (query.manufacturer) where.push(sql`pr.manufacturer LIKE ${`%${escapeLike(query.manufacturer.trim())}%`} ESCAPE '\\'`);
  if (query.minDiscount !== undefined) where.push(sql`p.discount_bp >= ${Math.round(query.minDiscount * 100)}`);
  if (query.maxUnitPrice !== undefined) where.push(sql`p.unit_price_e4 <= ${Number(yuanToE4Loose(query.maxUnitPrice))}`);
  if (query.region) {
    const region = await findRegion(db, query.region);
    if (!region) throw new AppError(400, "unknown_region", `region ${JSON.stringify(query.region)} is neither a known code nor a name`);
    const codes = await relatedRegionCodes(db, region.code);
    where.push(sql`(p.supply_regions = '' OR EXISTS (SELECT 1 FROM price_regions r WHERE r.price_id = p.id AND r.region_code IN (${sql.join(
      codes.map((c) => sql`${c}`),
      sql`, `,
    )})))`);
  }
  return where;
}


export function whereSql(conditions: SQL[]): SQL {
  return conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
}

/**
 * Searches chosen prices with filters, a stable sort and keyset pagination. `tuning` only chooses
 * among ways of reading that give the same answer (tests lower it to take every path).
 */
export async function searchPrices(db: Db, query: PriceQuery, tuning: SearchTuning = DEFAULT_SEARCH_TUNING): Promise<PricePage> {
  const limit = query.limit ?? 50;
  const sort = query.sort ?? "relevance";
  if (query.q && sort === "relevance") return rankedSearch(db, query, limit, tuning);
  const key = sortKey(sort);
  const filters = await priceFilters(db, query);
  const pageConditions = [...filters];
  if (query.cursor) pageConditions.push(afterCursor(key, decodeCursor(query.cursor)));
  const order = key.dir === "asc" ? sql`ASC` : sql`DESC`;
  const rows = await readRows<PriceSqlRow & { sortValue: number | string | null }>(db, sql`
    SELECT ${PRICE_COLUMNS}, ${key.expr} AS sortValue FROM ${PRICE_FROM}
    ${whereSql(pageConditions)}
    ORDER BY ${key.expr} ${order}, p.id ASC
    LIMIT ${limit + 1}`);
  const [{ total } = { total: 0 }] = await readRows<{ total: number }>(db, 
    sql`SELECT count(*) AS total FROM ${PRICE_FROM} ${whereSql(filters)}`,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const names = await regionNamesOf(db, page);
  return {
    items: page.map((r) => toPriceView(r, names)),
    total,
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.sortValue, id: last.id }) : null,
  };
}

function afterCursor(key: { expr: SQL; dir: "asc" | "desc" }, cursor: Cursor): SQL {
  const cmp = key.dir === "asc" ? sql`>` : sql`<`;
  return sql`(${key.expr} ${cmp} ${cursor.v} OR (${key.expr} = ${cursor.v} AND p.id > ${cursor.id}))`;
}

/** One price with its batch and product. */
export async function getPrice(db: Db, id: number): Promise<PriceView> {
  const rows = await readRows<PriceSqlRow>(db, sql`SELECT ${PRICE_COLUMNS} FROM ${PRICE_FROM} WHERE p.id = ${id}`);
  const row = rows[0];
  if (!row) throw notFound("price", id);
  return toPriceView(row, await regionNamesOf(db, [row]));
}

/**
 * `q` sorted by relevance: the ranked page from price_search, the full rows of that page only, the
 * matched set's total and facets, and close names when nothing matched.
 */
async function rankedSearch(db: Db, query: PriceQuery, limit: number, tuning: SearchTuning): Promise<PricePage> {
  const plan = await planSearch(db, query.q ?? "", tuning);
  const filters = await priceSearchFilters(db, query);
  if (!plan) return searchPrices(db, { ...query, q: undefined });
  const today = todayIso();
  // The counts come first: they say which groups of prices can reach the page.
  const groups = await matchedGroups(db, plan, filters, today, tuning);
  const { total, facets } = facetsOf(groups);
  if (total === 0) {
    // Nothing to page through, but a cursor that is not ours is still a 400.
    if (query.cursor) decodeRankCursor(query.cursor);
    return { items: [], total, nextCursor: null, facets, didYouMean: await didYouMean(db, query.q ?? "") };
  }
  const page = await rankedPage(db, plan, filters, groups, { limit, cursor: query.cursor, today, tuning });
  return { items: await priceViews(db, page.ids), total, nextCursor: page.nextCursor, facets };
}

/** Full price items for ids, in the order given. */
async function priceViews(db: Db, ids: number[]): Promise<PriceView[]> {
  if (!ids.length) return [];
  const rows = await readRows<PriceSqlRow>(db, `SELECT ${PRICE_COLUMNS_SQL} FROM ${PRICE_FROM_SQL} WHERE p.id IN (${intList(ids)})`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const names = await regionNamesOf(db, rows);
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toPriceView(row, names)] : [];
  });
}
