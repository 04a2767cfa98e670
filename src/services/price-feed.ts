import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import {
  changedPricesCondition, changeKind, ENDED_TOO, currentSyncPoint, feedCursor, feedWindow, parseUpdatedSince, priceChangedAtSql, readFeedCursor, syncToken,
  type ChangeKind, type SyncPoint,
} from "./change-feed";
import { PRICE_COLUMNS, PRICE_FROM, regionNamesOf, toPriceView, type PriceSqlRow, type PriceView } from "./price-view";
import { priceFilters, whereSql, type PriceQuery } from "./prices";

export type PriceChange = { kind: ChangeKind; at: string; tombstone: boolean };
export type PriceChangePage = { items: (PriceView & { change: PriceChange })[]; total: number; nextCursor: string | null; syncToken: string };

/**
 * The change feed of a price search: every price the search matches that was added, changed,
 * ended or withdrawn since `updatedSince`, oldest change first, a page at a time. Ended and
 * withdrawn prices come as tombstones (`change.tombstone`), so a client can drop them. The first
 * page fixes where the next sync starts (`syncToken`); every page of the walk carries the same.
 */
export async function pricesChangedSince(db: Db, query: PriceQuery & { updatedSince: string }): Promise<PriceChangePage> {
  const since = parseUpdatedSince(query.updatedSince);
  const after = query.cursor ? readFeedCursor(query.cursor) : null;
  const until: SyncPoint = after?.until ?? (await currentSyncPoint(db, "prices"));
  const w = feedWindow(since, Date.parse(until.clock));
  const changedAt = priceChangedAtSql(w);
  const conditions = [...(await priceFilters(db, { ...query, ...ENDED_TOO, cursor: undefined })), changedPricesCondition(w)];
  const page = after ? [...conditions, sql`(${changedAt} > ${after.changedAt} OR (${changedAt} = ${after.changedAt} AND p.id > ${after.id}))`] : conditions;
  const limit = query.limit ?? 50;
  const rows = await readRows<PriceSqlRow & { changedAt: string; createdAt: string; storedStatus: string }>(db, sql`
    SELECT ${PRICE_COLUMNS}, ${changedAt} AS changedAt, p.created_at AS createdAt, p.status AS storedStatus FROM ${PRICE_FROM}
    ${whereSql(page)} ORDER BY changedAt, p.id LIMIT ${limit + 1}`);
  const [{ total } = { total: 0 }] = await readRows<{ total: number }>(db, sql`SELECT count(*) AS total FROM ${PRICE_FROM} ${whereSql(conditions)}`);
  const shown = rows.slice(0, limit);
  const names = await regionNamesOf(db, shown);
  const last = shown[shown.length - 1];
  return {
    items: shown.map((r) => {
      const kind = changeKind(r, w);
      return { ...toPriceView(r, names), change: { kind, at: r.changedAt, tombstone: kind === "ended" || kind === "withdrawn" } };
    }),
    total,
    nextCursor: rows.length > limit && last ? feedCursor(last.changedAt, last.id, until) : null,
    syncToken: syncToken(until),
  };
}
