import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import {
  changedPricesCondition, changeKind, ENDED_TOO, currentSyncPoint, feedCursor, feedWindow, parseUpdatedSince, priceChangedAtSql, readFeedCursor, syncToken,
  type ChangeKind, type SyncPoint,
} from "./change-feed";
import { PRICE_COLUMNS, PRICE_FROM, regionNamesOf, toPriceView, type PriceSqlRow, type PriceView } from "./price-view";
import { priceFilters, whereSql, type PriceQuery } from "./prices";

export type PriceChange = { kind: ChangeKind; at: string; tombstone: boolean };
export type ChangedPrice = PriceView & { change: PriceChange };
export type ChangedPricesPage = { items: ChangedPrice[]; nextCursor: string | null; syncToken: string };
export type PriceChangePage = ChangedPricesPage & { total: number };

export type PriceChangeQuery = PriceQuery & { updatedSince: string };

/**
 * The change feed of a price search: every price the search matches that was added, changed,
 * ended or withdrawn since `updatedSince`, oldest change first, a page at a time. Ended and
 * withdrawn prices come as tombstones (`change.tombstone`), so a client can drop them. The first
 * page fixes where the next sync starts (`syncToken`); every page of the walk carries the same.
 */
export async function pricesChangedSince(db: Db, query: PriceChangeQuery): Promise<PriceChangePage> {
  const feed = await feedOf(db, query);
  const [{ total } = { total: 0 }] = await readRows<{ total: number }>(db, sql`SELECT count(*) AS total FROM ${PRICE_FROM} ${whereSql(feed.conditions)}`);
  return { ...(await feed.page()), total };
}

/**
 * One page of the same feed without its count: an export walking every page counts once (its first
 * page, from pricesChangedSince), not once per page.
 */
export async function changedPricesPage(db: Db, query: PriceChangeQuery): Promise<ChangedPricesPage> {
  return (await feedOf(db, query)).page();
}

async function feedOf(db: Db, query: PriceChangeQuery): Promise<{ conditions: SQL[]; page: () => Promise<ChangedPricesPage> }> {
  const since = parseUpdatedSince(query.updatedSince);
  const after = query.cursor ? readFeedCursor(query.cursor) : null;
  const until: SyncPoint = after?.until ?? (await currentSyncPoint(db, "prices"));
  const w = feedWindow(since, Date.parse(until.clock));
  const changedAt = priceChangedAtSql(w);
  const conditions = [...(await priceFilters(db, { ...query, ...ENDED_TOO, cursor: undefined })), changedPricesCondition(w)];
  const paged = after ? [...conditions, sql`(${changedAt} > ${after.changedAt} OR (${changedAt} = ${after.changedAt} AND p.id > ${after.id}))`] : conditions;
  const limit = query.limit ?? 50;
  const page = async (): Promise<ChangedPricesPage> => {
    const rows = await readRows<PriceSqlRow & { changedAt: string; createdAt: string; storedStatus: string }>(db, sql`
      SELECT ${PRICE_COLUMNS}, ${changedAt} AS changedAt, p.created_at AS createdAt, p.status AS storedStatus FROM ${PRICE_FROM}
      ${whereSql(paged)} ORDER BY changedAt, p.id LIMIT ${limit + 1}`);
    const shown = rows.slice(0, limit);
    const names = await regionNamesOf(db, shown);
    const last = shown[shown.length - 1];
    return {
      items: shown.map((r) => {
        const kind = changeKind(r, w);
        return { ...toPriceView(r, names), change: { kind, at: r.changedAt, tombstone: kind === "ended" || kind === "withdrawn" } };
      }),
      nextCursor: rows.length > limit && last ? feedCursor(last.changedAt, last.id, until) : null,
      syncToken: syncToken(until),
    };
  };
  return { conditions, page };
}
