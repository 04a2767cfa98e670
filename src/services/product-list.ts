import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { PRODUCT_ANSWER_KEYS, type ProductAnswerRow, selectColumns } from "../db/rows";
import { type Category, priceSearch, products, tombstones } from "../db/schema";
import { bareColumns, columnNames, renderedAlias, trustedSql } from "../db/trusted-sql";
import type { PriceState } from "../domain/state";
import { normalizeStrength } from "../domain/strength";
import { currentSyncPoint, feedCursor, parseUpdatedSince, readFeedCursor, type SyncPoint, syncToken } from "./change-feed";
import { decodeCursor, encodeCursor } from "./cursor";
import { parsePriceFilter } from "./price-filter";
import { renderFilter } from "./price-filter-sql";
import { parseBrands } from "./price-view";
import { allOf } from "./search-sql";
import { withdrawnIn } from "./tombstones";

/** Columns through the schema: bare for products read alone, under `ps` and `t` where a statement aliases them. */
const product = bareColumns(products);
const ps = renderedAlias(priceSearch, "ps");
const t = renderedAlias(tombstones, "t");
const tombstoneCol = columnNames(tombstones);

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
  return sql`EXISTS (SELECT 1 FROM ${priceSearch} ${ps} WHERE ${ps.productId} = ${products.id} AND ${allOf(filter.allRows)})`;
}

type ProductListRow = { id: number; updatedAt: string } & ProductAnswerRow;

const COLUMNS = sql`${product.id}, ${selectColumns(products, [...PRODUCT_ANSWER_KEYS, "updatedAt"])}`;

/** The same fields of a `products` row as the JSON a tombstone keeps (src/services/import-withdrawal.ts), and read back. */
const JSON_FIELDS = ["id", ...PRODUCT_ANSWER_KEYS, "updatedAt"] as const;
const columnOf = (key: string) => (getTableColumns(products) as Record<string, { name: string }>)[key]!.name;
export const PRODUCT_JSON = trustedSql(`json_object(${JSON_FIELDS.map((key) => `'${key}', "${columnOf(key)}"`).join(", ")})`);
const fromJson = (json: string) => trustedSql(JSON_FIELDS.map((key) => `json_extract(${json}, '$.${key}') AS "${key}"`).join(", "));

export type ProductChange = { kind: "added" | "changed" | "withdrawn"; at: string; tombstone: boolean };

const toProductView = (r: ProductListRow) => ({
  ...r,
  brandNames: parseBrands(r.brandNames),
  originator: r.originator === null ? null : Boolean(r.originator),
  strengthNormalized: normalizeStrength(r.spec),
  synthetic: Boolean(r.synthetic),
});

const whereSql = (w: SQL[]) => (w.length ? sql`WHERE ${sql.join(w, sql` AND `)}` : sql``);

/**
 * Products a page at a time: by id, or with `updatedSince` the ones added, changed or withdrawn
 * since (productChanges), oldest change first.
 */
export async function listProducts(db: Db, q: ProductListQuery) {
  const limit = q.limit ?? 100;
  const where: SQL[] = [];
  if (q.category) where.push(sql`${product.category} = ${q.category}`);
  if (q.synthetic !== undefined) where.push(sql`${product.synthetic} = ${q.synthetic ? 1 : 0}`);
  const priced = await pricedCondition(db, q);
  if (priced) where.push(priced);
  if (q.updatedSince !== undefined) return productChanges(db, q, parseUpdatedSince(q.updatedSince), where, limit);
  const filters = [...where];
  if (q.cursor) where.push(sql`${product.id} > ${decodeCursor(q.cursor).id}`);
  const rows = await readRows<ProductListRow>(db, sql`SELECT ${COLUMNS} FROM ${products} ${whereSql(where)} ORDER BY ${product.id} LIMIT ${limit + 1}`);
  const [{ total } = { total: 0 }] = await readRows<{ total: number }>(db, sql`SELECT count(*) AS total FROM ${products} ${whereSql(filters)}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page.map(toProductView), meta: { total, nextCursor: rows.length > limit && last ? encodeCursor({ v: null, id: last.id }) : null } };
}

/**
 * The products feed: added or changed since (their updated_at), and withdrawn (a withdrawn import had
 * added them: tombstones, as the feed last showed them), in one order, a page at a time. `category`
 * and `synthetic` apply to tombstones as to products; `province`, `asOf` and `state` ask about a
 * product's prices, which went with it, so every withdrawn product is listed whatever they say.
 */
async function productChanges(db: Db, q: ProductListQuery, since: SyncPoint, filters: SQL[], limit: number) {
  const after = q.cursor ? readFeedCursor(q.cursor) : null;
  const until = after?.until ?? (await currentSyncPoint(db, "products"));
  const live = [...filters, sql`${product.updatedAt} > ${since.updated}`];
  const gone = [withdrawnIn("products", since.updated, until.updated)];
  if (q.category) gone.push(sql`json_extract(${t.last}, '$.category') = ${q.category}`);
  if (q.synthetic !== undefined) gone.push(sql`json_extract(${t.last}, '$.synthetic') = ${q.synthetic ? 1 : 0}`);
  const keyset = (at: SQL, id: SQL) => (after ? [sql`(${at} > ${after.changedAt} OR (${at} = ${after.changedAt} AND ${id} > ${after.id}))`] : []);
  const rows = await readRows<ProductListRow & { changedAt: string; createdAt: string; withdrawn: number }>(
    db,
    sql`SELECT * FROM (
      SELECT ${COLUMNS}, ${product.updatedAt} AS changedAt, ${product.createdAt} AS createdAt, 0 AS withdrawn FROM ${products}
      ${whereSql([...live, ...keyset(product.updatedAt, product.id)])}
      UNION ALL
      SELECT ${fromJson(`t.${tombstoneCol.last}`)}, ${t.withdrawnAt} AS changedAt, ${t.withdrawnAt} AS createdAt, 1 AS withdrawn FROM ${tombstones} ${t}
      ${whereSql([...gone, ...keyset(sql`${t.withdrawnAt}`, sql`CAST(${t.rowId} AS INTEGER)`)])}
    ) ORDER BY changedAt, id LIMIT ${limit + 1}`,
  );
  const [{ total } = { total: 0 }] = await readRows<{ total: number }>(
    db,
    sql`SELECT
    (SELECT count(*) FROM ${products} ${whereSql(live)}) + (SELECT count(*) FROM ${tombstones} ${t} ${whereSql(gone)}) AS total`,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(({ changedAt, createdAt, withdrawn, ...r }) => {
      const kind: ProductChange["kind"] = withdrawn ? "withdrawn" : createdAt > since.updated ? "added" : "changed";
      return { ...toProductView(r), change: { kind, at: changedAt, tombstone: kind === "withdrawn" } satisfies ProductChange };
    }),
    meta: { total, nextCursor: rows.length > limit && last ? feedCursor(last.changedAt, last.id, until) : null, syncToken: syncToken(until) },
  };
}
