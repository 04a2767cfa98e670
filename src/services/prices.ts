import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { d1BindingOf } from "../db/d1";
import { readRows, readRowsAsJson } from "../db/read-rows";
import { priceSearch, prices } from "../db/schema";
import { columnNames, foldedSql, renderedAlias } from "../db/trusted-sql";
import { notFound } from "../errors";
import { type PriceFilterInput, parsePriceFilter, readAsOf } from "./price-filter";
import { type FilterSql, renderFilter } from "./price-filter-sql";
import { everythingPlan, firmsPlan, sortedPage, totalOf } from "./price-listing";
import {
  PRICE_COLUMN_NAMES,
  PRICE_COLUMNS,
  PRICE_COLUMNS_SQL,
  PRICE_FROM,
  PRICE_FROM_SQL,
  type PriceSqlRow,
  type PriceView,
  regionNamesOf,
  toPriceView,
} from "./price-view";
import { decodeRankCursor, type Facets, facetsOf, matchedGroups, planCondition, rankedPage } from "./search";
import { planSearch, type SearchPlan } from "./search-match";
import { allOf, intList, MAX_COMPOUND_TERMS } from "./search-sql";
import { didYouMean } from "./search-suggest";
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from "./search-tuning";

export { escapeLike } from "./price-filter-values";

/** Columns through the schema, under PRICE_FROM's aliases: drizzle's for templates, names for the statement sent as text. */
const p = renderedAlias(prices, "p");
const ps = renderedAlias(priceSearch, "ps");
const priceCol = columnNames(prices);

export const PRICE_SORTS = ["relevance", "discount", "-discount", "unitPrice", "-unitPrice"] as const;
export type PriceSort = (typeof PRICE_SORTS)[number];

export type PriceQuery = PriceFilterInput & {
  q?: string;
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

/**
 * Prices matching the query's text and filters, as one condition on price_search (alias ps); the
 * statement must join it. Parsed and rendered once (price-filter.ts, price-filter-sql.ts).
 */
export async function matchCondition(db: Db, q: string | undefined, filters: FilterSql): Promise<SQL> {
  const conditions = [...filters.allRows];
  if (q) {
    // The same matching as ranked search (names, 拼音码, English, firms, codes), as a set.
    const plan = await planSearch(db, q);
    if (plan) conditions.push(planCondition(plan));
  }
  return allOf(conditions);
}

/**
 * The query's text and filters as conditions on prices p (with products pr and batches b), for
 * statements that read prices their own way (the pages' grouped results): the matched set is the
 * same one search uses, read from price_search.
 */
export async function priceFilters(db: Db, query: PriceQuery): Promise<SQL[]> {
  const filters = renderFilter(await parsePriceFilter(db, query));
  return [foldedSql`${p.id} IN (SELECT ${ps.priceId} FROM ${priceSearch} ${ps} WHERE ${await matchCondition(db, query.q, filters)})`];
}

/**
 * The query's text and filters as one condition on price_search rows (alias ps), for statements
 * that group or count the matched prices from price_search itself (the pages' grouped results):
 * the same matched set as priceFilters, without reading every price to build it.
 */
export async function priceMatch(db: Db, query: PriceQuery): Promise<{ condition: SQL; asOf: string }> {
  const filters = renderFilter(await parsePriceFilter(db, query));
  return { condition: await matchCondition(db, query.q, filters), asOf: filters.asOf };
}

export function whereSql(conditions: SQL[]): SQL {
  return conditions.length ? foldedSql`WHERE ${allOf(conditions)}` : foldedSql``;
}

/**
 * Searches chosen prices with filters, a stable sort and keyset pagination. `tuning` only chooses
 * among ways of reading that give the same answer (tests lower it to take every path). Without `q`
 * every price is matched, as a plan of all names, so a listing is counted and paged the way a search
 * is (price-listing.ts): in force first, then by unit price, for relevance.
 */
export async function searchPrices(db: Db, query: PriceQuery, searchTuning: SearchTuning = DEFAULT_SEARCH_TUNING): Promise<PricePage> {
  // D1 allows five terms in a compound SELECT (search-sql.ts), so at most five ranges are merged in one.
  const tuning = d1BindingOf(db) ? { ...searchTuning, maxMergeArms: Math.min(searchTuning.maxMergeArms, MAX_COMPOUND_TERMS) } : searchTuning;
  const limit = query.limit ?? 50;
  const sort = query.sort ?? "relevance";
  const filters = renderFilter(await parsePriceFilter(db, query));
  const { plan, everything } = await planOf(db, query.q, filters, tuning);
  if (sort === "relevance") return rankedSearch(db, query, plan, filters, limit, tuning);
  const groups = await matchedGroups(db, plan, filters, tuning);
  const page = await sortedPage(db, { plan, everything, filters, groups, sort, limit, cursor: query.cursor, tuning });
  const total = totalOf(groups);
  return { items: await priceViews(db, page.ids, filters.asOf), total, nextCursor: page.nextCursor };
}

/**
 * What a search reads: the text's plan with the manufacturer filter as one more word that only firms
 * meet (so search_pairs counts a name's prices per firm), a listing by manufacturer as the plan of its
 * firms (their groups are counted whole), or every price.
 */
async function planOf(db: Db, q: string | undefined, filters: FilterSql, tuning: SearchTuning): Promise<{ plan: SearchPlan; everything: boolean }> {
  const firmIds = filters.filter.firmIds;
  const text = q ? await planSearch(db, q, tuning) : null;
  if (text) {
    if (firmIds === undefined) return { plan: text, everything: false };
    return {
      plan: { ...text, words: [...text.words, { word: filters.filter.manufacturer ?? "", names: [], firms: firmIds, variants: [], products: null }] },
      everything: false,
    };
  }
  if (firmIds !== undefined) return { plan: firmsPlan(firmIds), everything: false };
  return { plan: await everythingPlan(db), everything: true };
}

/** One price with its batch and product. */
export async function getPrice(db: Db, id: number, asOf?: string): Promise<PriceView> {
  const rows = await readRows<PriceSqlRow>(db, foldedSql`SELECT ${PRICE_COLUMNS} FROM ${PRICE_FROM} WHERE ${p.id} = ${id}`);
  const row = rows[0];
  if (!row) throw notFound("price", id);
  return toPriceView(row, await regionNamesOf(db, [row]), readAsOf(asOf));
}

/**
 * `q` sorted by relevance: the ranked page from price_search, the full rows of that page only, the
 * matched set's total and facets, and close names when nothing matched.
 */
async function rankedSearch(db: Db, query: PriceQuery, plan: SearchPlan, filters: FilterSql, limit: number, tuning: SearchTuning): Promise<PricePage> {
  // The counts come first: they say which groups of prices can reach the page.
  const groups = await matchedGroups(db, plan, filters, tuning);
  const { total, facets } = facetsOf(groups);
  if (total === 0) {
    // Nothing to page through, but a cursor that is not ours is still a 400.
    if (query.cursor) decodeRankCursor(query.cursor);
    return { items: [], total, nextCursor: null, facets, ...(query.q ? { didYouMean: await didYouMean(db, query.q) } : {}) };
  }
  const page = await rankedPage(db, plan, filters, groups, { limit, cursor: query.cursor, tuning });
  return { items: await priceViews(db, page.ids, filters.asOf), total, nextCursor: page.nextCursor, facets };
}

/** Full price items for ids, in the order given. */
async function priceViews(db: Db, ids: number[], asOf: string): Promise<PriceView[]> {
  if (!ids.length) return [];
  const rows = await readRowsAsJson<PriceSqlRow>(
    db,
    `SELECT ${PRICE_COLUMNS_SQL} FROM ${PRICE_FROM_SQL} WHERE p.${priceCol.id} IN (${intList(ids)})`,
    PRICE_COLUMN_NAMES,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const names = await regionNamesOf(db, rows);
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toPriceView(row, names, asOf)] : [];
  });
}
