import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { priceSearch, prices } from "../db/schema";
import { renderedAlias } from "../db/trusted-sql";
import {
  type ChangeKind,
  changedPricesCondition,
  changeKind,
  currentSyncPoint,
  ENDED_TOO,
  feedCursor,
  feedWindow,
  parseUpdatedSince,
  priceChangedAtSql,
  readFeedCursor,
  type SyncPoint,
  syncToken,
} from "./change-feed";
import { PRICE_COLUMNS, PRICE_FROM, type PriceSqlRow, type PriceView, priceColumnsFromJson, regionNamesOf, toPriceView } from "./price-view";
import { type PriceQuery, priceMatch, whereSql } from "./prices";
import { priceTombstoneRows, tombstoneMatch, WITHDRAWN_PRICE, withdrawnIn } from "./tombstones";

/** PRICE_FROM's prices (p) and the search row a match condition reads (ps); tombstone rows take the alias ps too, with their own t_* columns (WITHDRAWN_PRICE). */
const p = renderedAlias(prices, "p");
const ps = renderedAlias(priceSearch, "ps");

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
 *
 * A withdrawn price (one a withdrawn import had added, now deleted) is listed from its tombstone,
 * as the feed last showed it, when the search matched it as it was (src/services/tombstones.ts).
 */
export async function pricesChangedSince(db: Db, query: PriceChangeQuery): Promise<PriceChangePage> {
  const feed = await feedOf(db, query);
  const [{ total } = { total: 0 }] = await readRows<{ total: number }>(
    db,
    sql`SELECT
    (SELECT count(*) FROM ${PRICE_FROM} ${whereSql(feed.conditions)}) + (SELECT count(*) FROM ${feed.withdrawn} ps WHERE ${feed.matchedWithdrawn}) AS total`,
  );
  return { ...(await feed.page()), total };
}

/**
 * One page of the same feed without its count: an export walking every page counts once (its first
 * page, from pricesChangedSince), not once per page.
 */
export async function changedPricesPage(db: Db, query: PriceChangeQuery): Promise<ChangedPricesPage> {
  return (await feedOf(db, query)).page();
}

async function feedOf(
  db: Db,
  query: PriceChangeQuery,
): Promise<{ conditions: SQL[]; withdrawn: SQL; matchedWithdrawn: SQL; page: () => Promise<ChangedPricesPage> }> {
  const since = parseUpdatedSince(query.updatedSince);
  const after = query.cursor ? readFeedCursor(query.cursor) : null;
  const until: SyncPoint = after?.until ?? (await currentSyncPoint(db, "prices"));
  const w = feedWindow(since, Date.parse(until.clock));
  const changedAt = priceChangedAtSql(w);
  // The search as a probe of each changed price's search row (its primary key), not a list of every
  // match built first: a sync reads what changed, and with no filter every price matches.
  const search = { ...query, ...ENDED_TOO, cursor: undefined };
  const { condition: matched } = await priceMatch(db, search);
  const conditions = [sql`EXISTS (SELECT 1 FROM ${priceSearch} ${ps} WHERE ${ps.priceId} = ${p.id} AND (${matched}))`, changedPricesCondition(w)];
  // Tombstones of the window (withdrawn after the sync asked about, by the point this walk ends at) its search matched, as rows aliased ps.
  const withdrawn = await priceTombstoneRows(db, withdrawnIn("prices", w.since.updated, until.updated));
  const matchedWithdrawn = await tombstoneMatch(db, search);
  const keyset = (at: SQL, id: SQL) => (after ? [sql`(${at} > ${after.changedAt} OR (${at} = ${after.changedAt} AND ${id} > ${after.id}))`] : []);
  const limit = query.limit ?? 50;
  const page = async (): Promise<ChangedPricesPage> => {
    // Live prices and tombstones in one order, each part read from its own index up to the page's end.
    const rows = await readRows<PriceSqlRow & { changedAt: string; createdAt: string; storedStatus: string }>(
      db,
      sql`
      SELECT * FROM (
        SELECT ${PRICE_COLUMNS}, ${changedAt} AS changedAt, ${p.createdAt} AS createdAt, ${p.status} AS storedStatus FROM ${PRICE_FROM}
        ${whereSql([...conditions, ...keyset(changedAt, sql`${p.id}`)])}
        UNION ALL
        SELECT ${priceColumnsFromJson(WITHDRAWN_PRICE.last)}, ${WITHDRAWN_PRICE.at} AS changedAt, ${WITHDRAWN_PRICE.at} AS createdAt, 'withdrawn' AS storedStatus
        FROM ${withdrawn} ps ${whereSql([matchedWithdrawn, ...keyset(WITHDRAWN_PRICE.at, WITHDRAWN_PRICE.id)])}
      ) ORDER BY changedAt, id LIMIT ${limit + 1}`,
    );
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
  return { conditions, withdrawn, matchedWithdrawn, page };
}
