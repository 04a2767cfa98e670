import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { batches, prices, products, tombstones } from "../db/schema";
import { bareColumns, columnNames, renderedAlias, trustedSql } from "../db/trusted-sql";
import { columnsOf } from "../import/journal";
import { parsePriceFilter } from "./price-filter";
import { renderFilter } from "./price-filter-sql";
import { matchCondition, type PriceQuery } from "./prices";

/**
 * Tombstones: the prices, products and batches a withdrawn import had added, deleted by the
 * withdrawal (src/services/import-withdrawal.ts) and kept here (table `tombstones`) so their change
 * feeds can say they are gone. Each keeps the row as its feed showed it (`last`); a price also keeps
 * its search row (`search`), so a filtered feed lists only the tombstones its search would have matched.
 */
export type TombstoneTable = (typeof prices | typeof products | typeof batches)["_"]["name"];

/** The tombstones as `t`, as the conditions below and their callers name them. */
const t = renderedAlias(tombstones, "t");
const tNames = columnNames(tombstones);

/** Where a row of each table lives, to tell a tombstone whose id has come back (a restore) from one still gone. */
const livePrice = renderedAlias(prices, "x");
const liveProduct = renderedAlias(products, "x");
const liveBatch = renderedAlias(batches, "x");
const LIVE: Record<TombstoneTable, SQL> = {
  prices: sql`SELECT 1 FROM ${prices} ${livePrice} WHERE ${livePrice.id} = CAST(${t.rowId} AS INTEGER)`,
  products: sql`SELECT 1 FROM ${products} ${liveProduct} WHERE ${liveProduct.id} = CAST(${t.rowId} AS INTEGER)`,
  batches: sql`SELECT 1 FROM ${batches} ${liveBatch} WHERE ${liveBatch.id} = ${t.rowId}`,
};

/**
 * Tombstones (alias t) of `tbl` withdrawn after `since` and, when given, by `until` (where a feed's
 * walk ends), read from the index on (tbl, withdrawn_at); a row stored again under the same id since is live, not withdrawn.
 */
export function withdrawnIn(tbl: TombstoneTable, since: string, until?: string): SQL {
  return sql`${t.tbl} = ${tbl} AND ${t.withdrawnAt} > ${since}${until === undefined ? sql`` : sql` AND ${t.withdrawnAt} <= ${until}`}
    AND NOT EXISTS (${LIVE[tbl]})`;
}

/** The newest withdrawal of a row of `tbl`: a feed's sync point is at least that. */
const bare = bareColumns(tombstones);
export const newestWithdrawal = (tbl: TombstoneTable) => sql`SELECT max(${bare.withdrawnAt}) FROM ${tombstones} WHERE ${bare.tbl} = ${tbl}`;

/**
 * What a filter reads besides the search row, kept beside it: the batch's level and the price's
 * synthetic flag (renderFilter's `copied` form reads them from these names).
 */
const EXTRA = [
  ["t_level", `b.${batches.level.name}`],
  ["t_synthetic", `p.${prices.synthetic.name}`],
] as const;

/** The columns of price_search as this database has them (a later migration may add some). */
async function searchColumns(db: Db): Promise<string[]> {
  return (await columnsOf(db, "price_search")).filter((c) => /^\w+$/.test(c));
}

/** A price's search row as JSON, over PRICE_FROM with `price_search ps` left-joined: what a price tombstone keeps to be matched. */
export async function priceSearchJson(db: Db): Promise<SQL> {
  const pairs = [...(await searchColumns(db)).map((c) => [c, `ps.${c}`] as const), ...EXTRA];
  return trustedSql(`json_object(${pairs.map(([name, expr]) => `'${name}', ${expr}`).join(", ")})`);
}

/**
 * Price tombstones as rows shaped like price_search, to be aliased `ps` so that a search's match
 * condition applies to them unchanged; the tombstone's own columns ride along as t_row_id,
 * t_withdrawn_at, t_last and t_search. `where` is on the tombstones (alias t), e.g. withdrawnIn.
 */
export async function priceTombstoneRows(db: Db, where: SQL): Promise<SQL> {
  const names = [...(await searchColumns(db)), ...EXTRA.map(([name]) => name)];
  const columns = trustedSql(names.map((c) => `json_extract(t.${tNames.search}, '$.${c}') AS ${c}`).join(", "));
  return sql`(SELECT ${t.rowId} AS t_row_id, ${t.withdrawnAt} AS t_withdrawn_at, ${t.last} AS t_last, ${t.search} AS t_search, ${columns}
    FROM ${tombstones} ${t} WHERE ${where})`;
}

/**
 * priceTombstoneRows' own columns as its callers read them, under the alias ps they give it: t_*
 * names of a derived table, not the schema's (prefixed so they cannot meet a price_search column).
 */
export const WITHDRAWN_PRICE = {
  /** The price as its feed last showed it: JSON text, for price-view.ts's priceColumnsFromJson. */
  last: "ps.t_last",
  at: sql`ps.t_withdrawn_at`,
  id: sql`CAST(ps.t_row_id AS INTEGER)`,
};

/**
 * The search as a condition on priceTombstoneRows (alias ps): the tombstone matches when the price's
 * search row, as it was when withdrawn, matched every filter and `q`. Names, firms, forms and
 * strengths match as they did (search terms outlive their prices); a match by code (批准文号, 医保编码)
 * reads the product, so it finds a withdrawn price only while its product is still there. A
 * tombstone written before search rows were kept (drizzle/0018_tombstones.sql) matches every search.
 */
export async function tombstoneMatch(db: Db, query: PriceQuery): Promise<SQL> {
  const filters = renderFilter(await parsePriceFilter(db, query), { copied: true });
  // t_search: priceTombstoneRows' own column (WITHDRAWN_PRICE above), not a schema column.
  return sql`(ps.t_search IS NULL OR ${await matchCondition(db, query.q, filters)})`;
}
