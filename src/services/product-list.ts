import { normalizeStrength } from "../domain/strength";
import { parseBrands } from "./price-view";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { products, type Category } from "../db/schema";
import { PRODUCT_ANSWER_KEYS, selectColumns, type ProductAnswerRow } from "../db/rows";
import { currentSyncPoint, feedCursor, parseUpdatedSince, readFeedCursor, syncToken, type SyncPoint } from "./change-feed";
import { decodeCursor, encodeCursor } from "./cursor";
import type { PriceState } from "../domain/state";
import { parsePriceFilter } from "./price-filter";
import { renderFilter } from "./price-filter-sql";
import { allOf } from "./search-sql";

export type ProductListQuery = {
  category?: Category;
  synthetic?: boolean;
  updatedSince?: string;
  /** Where and when: only products with a price the prices list shows for these (price-filter.ts). */
  province?: string;
  asOf?: string;
  state?: readonly PriceState[];
  limit?: number;
  cursor?: string;
};

/**
 * `province`, `asOf` and `state` as a condition on products: the product has a price that
 * GET /api/v1/prices would list for the same three (the prices list's filter plan, parsed and
 * rendered by price-filter*.ts, so a city means its province, nationwide prices count everywhere and
 * without `state` a price counts when in force or of unknown cycle on asOf). Null when none is given:
 * every product, priced or not. Read per product through price_search's product index.
 */
async function pricedCondition(db: Db, q: ProductListQuery): Promise<SQL | null> {
  if (q.province === undefined && q.asOf === undefined && q.state === undefined) return null;
  const filter = renderFilter(await parsePriceFilter(db, { province: q.province, asOf: q.asOf, state: q.state }));
  return sql`EXISTS (SELECT 1 FROM price_search ps WHERE ps.product_id = products.id AND ${allOf(filter.allRows)})`;
}

type ProductListRow = { id: number; updatedAt: string } & ProductAnswerRow;

const COLUMNS = sql`id, ${selectColumns(products, [...PRODUCT_ANSWER_KEYS, "updatedAt"])}`;

/**
 * Products a page at a time: by id, or with `updatedSince` the ones added or changed since, oldest
 * change first (products are never deleted; a withdrawn award shows in the prices feed).
 */
export async function listProducts(db: Db, q: ProductListQuery) {
  const limit = q.limit ?? 100;
  const since = q.updatedSince === undefined ? null : parseUpdatedSince(q.updatedSince);
  const where: SQL[] = [];
  if (q.category) where.push(sql`category = ${q.category}`);
  if (q.synthetic !== undefined) where.push(sql`synthetic = ${q.synthetic ? 1 : 0}`);
  if (since) where.push(sql`updated_at > ${since.updated}`);
  const priced = await pricedCondition(db, q);
  if (priced) where.push(priced);
  const filters = [...where];
  const feed = since !== null;
  let until: SyncPoint | null = null;
  if (q.cursor && feed) {
    const c = readFeedCursor(q.cursor);
    until = c.until;
    where.push(sql`(updated_at > ${c.changedAt} OR (updated_at = ${c.changedAt} AND id > ${c.id}))`);
  } else if (q.cursor) where.push(sql`id > ${decodeCursor(q.cursor).id}`);
  if (feed && !until) until = await currentSyncPoint(db, "products");
  const whereSql = (w: SQL[]) => (w.length ? sql`WHERE ${sql.join(w, sql` AND `)}` : sql``);
  const rows = await readRows<ProductListRow>(db, sql`SELECT ${COLUMNS} FROM products ${whereSql(where)}
    ORDER BY ${feed ? sql`updated_at, id` : sql`id`} LIMIT ${limit + 1}`);
  const [{ total } = { total: 0 }] = await readRows<{ total: number }>(db, sql`SELECT count(*) AS total FROM products ${whereSql(filters)}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? (until ? feedCursor(last.updatedAt, last.id, until) : encodeCursor({ v: null, id: last.id })) : null;
  return {
    data: page.map((r) => ({
      ...r,
      brandNames: parseBrands(r.brandNames),
      originator: r.originator === null ? null : Boolean(r.originator),
      strengthNormalized: normalizeStrength(r.spec),
      synthetic: Boolean(r.synthetic),
    })),
    meta: { total, nextCursor, ...(until ? { syncToken: syncToken(until) } : {}) },
  };
}
