import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { batches, prices } from "../db/schema";
import { renderedAlias } from "../db/trusted-sql";
import { type ChangeKind, changedPricesCondition, changeKind, ENDED_TOO, feedWindow, parseUpdatedSince, priceChangedAtSql } from "./change-feed";
import { PRICE_COLUMNS, PRICE_FROM, type PriceSqlRow, type PriceView, priceColumnsFromJson, regionNamesOf, toPriceView } from "./price-view";
import { type PriceQuery, priceFilters, whereSql } from "./prices";
import { priceTombstoneRows, tombstoneMatch, WITHDRAWN_PRICE, withdrawnIn } from "./tombstones";

/** Entries in a feed: what a reader shows; older changes stay in the JSON change feed. */
export const ATOM_ENTRIES = 50;

/**
 * renewed: added as the renewal (接续采购) of an earlier price; renewed_by: an earlier price whose
 * renewal was just linked to it (`renewal` is that price).
 */
export type AtomEntry = { price: PriceView; kind: ChangeKind | "renewed" | "renewed_by"; at: string; renewal?: PriceView };

/** Columns through the schema, under PRICE_FROM's aliases. (A tombstone's search row, `ps.t_*`, is tombstones.ts's derived table: WITHDRAWN_PRICE.) */
const p = renderedAlias(prices, "p");
const b = renderedAlias(batches, "b");

export type AtomQuery = Omit<PriceQuery, "limit" | "cursor" | "sort"> & { updatedSince?: string };

/**
 * The latest changes among the prices a search matches, newest first: added, renewed (added as the
 * renewal 接续采购 of an earlier price), changed, ended (the day after the cycle's last,
 * Asia/Shanghai); with `updatedSince`, only those since then. The newest by write time
 * and the newest by cycle end are each read from an index, then merged, so a feed never sorts the
 * whole table. A price deleted by a withdrawal is a "withdrawn" entry when the search matched it as
 * it was (its tombstone keeps its search row, src/services/tombstones.ts), at the time of the withdrawal.
 */
export async function latestPriceChanges(db: Db, { updatedSince, ...query }: AtomQuery, now = Date.now()): Promise<AtomEntry[]> {
  // Kinds are judged against the epoch, whatever `updatedSince` says, so an entry keeps its id in
  // every feed: "added" means never changed since it was written.
  const w = feedWindow({ updated: "1970-01-01T00:00:00.000Z", clock: "1970-01-01T00:00:00.000Z" }, now);
  const filters = await priceFilters(db, { ...query, ...ENDED_TOO });
  if (updatedSince !== undefined) filters.push(changedPricesCondition(feedWindow(parseUpdatedSince(updatedSince), now)));
  const endDay = sql`COALESCE(${p.cycleEnd}, ${b.cycleEnd})`;
  const byWrite = sql`SELECT ${p.id} FROM ${PRICE_FROM} ${whereSql(filters)} ORDER BY ${p.updatedAt} DESC LIMIT ${ATOM_ENTRIES}`;
  const byEnd = sql`SELECT ${p.id} FROM ${PRICE_FROM} ${whereSql([...filters, sql`${endDay} <= ${w.endedBy}`])} ORDER BY ${endDay} DESC LIMIT ${ATOM_ENTRIES}`;
  const changedAt = priceChangedAtSql(w);
  const rows = await readRows<PriceSqlRow & { changedAt: string; createdAt: string; updatedAt: string; storedStatus: string }>(
    db,
    sql`
    SELECT ${PRICE_COLUMNS}, ${changedAt} AS changedAt, ${p.createdAt} AS createdAt, ${p.updatedAt} AS updatedAt, ${p.status} AS storedStatus FROM ${PRICE_FROM}
    WHERE ${p.id} IN (SELECT id FROM (${byWrite}) UNION SELECT id FROM (${byEnd}))
    ORDER BY changedAt DESC, ${p.id} DESC LIMIT ${ATOM_ENTRIES}`,
  );
  const withdrawn = await withdrawnEntries(db, { ...query, ...ENDED_TOO }, updatedSince === undefined ? "" : parseUpdatedSince(updatedSince).updated);
  const names = await regionNamesOf(db, rows);
  const renewals = await renewalsOf(
    db,
    rows.filter(wasRenewedLast).map((r) => r.renewedBy as number),
  );
  const live = rows.map((r): AtomEntry => {
    const renewal = wasRenewedLast(r) ? renewals.get(r.renewedBy as number) : undefined;
    if (renewal) return { price: toPriceView(r, names), kind: "renewed_by", at: r.changedAt, renewal };
    // Against the epoch every live price is "added"; one rewritten after it was first stored has changed.
    const kind = changeKind(r, w);
    return { price: toPriceView(r, names), kind: kind === "added" ? addedKind(r) : kind, at: r.changedAt };
  });
  return [...live, ...withdrawn].sort((a, b) => (a.at === b.at ? b.price.id - a.price.id : a.at < b.at ? 1 : -1)).slice(0, ATOM_ENTRIES);
}

/**
 * The newest prices withdrawn after `since` ("" for all) that the search matched as they were, as
 * the feed last showed them, read newest first from the tombstones' index.
 */
async function withdrawnEntries(db: Db, query: PriceQuery, since: string): Promise<AtomEntry[]> {
  const tombstones = await priceTombstoneRows(db, withdrawnIn("prices", since));
  const rows = await readRows<PriceSqlRow & { changedAt: string }>(
    db,
    sql`
    SELECT ${priceColumnsFromJson(WITHDRAWN_PRICE.last)}, ${WITHDRAWN_PRICE.at} AS changedAt FROM ${tombstones} ps
    WHERE ${await tombstoneMatch(db, query)} ORDER BY ${WITHDRAWN_PRICE.at} DESC LIMIT ${ATOM_ENTRIES}`,
  );
  const names = await regionNamesOf(db, rows);
  return rows.map((r) => ({ price: toPriceView(r, names), kind: "withdrawn", at: r.changedAt }));
}

/**
 * A live price whose last change is a write after it was stored, and that a later price renews: an
 * import stamps the earlier price when it links a renewal to it (prices-sql.ts), so that write is
 * taken as the renewal. (A price is seldom corrected after it was renewed: its cycle is over.)
 */
function wasRenewedLast(r: { storedStatus: string; renewedBy: number | null; changedAt: string; updatedAt: string; createdAt: string }): boolean {
  return r.storedStatus === "active" && r.renewedBy !== null && r.changedAt === r.updatedAt && r.updatedAt > r.createdAt;
}

/** The renewing prices, by id, for the entries that name them. */
async function renewalsOf(db: Db, ids: number[]): Promise<Map<number, PriceView>> {
  if (!ids.length) return new Map();
  const rows = await readRows<PriceSqlRow>(
    db,
    sql`SELECT ${PRICE_COLUMNS} FROM ${PRICE_FROM} WHERE ${p.id} IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  );
  const names = await regionNamesOf(db, rows);
  return new Map(rows.map((r) => [r.id, toPriceView(r, names)]));
}

/** A live price never rewritten: a renewal when it continues an earlier price, else new. */
function addedKind(r: { updatedAt: string; createdAt: string; renews: number | null }): AtomEntry["kind"] {
  if (r.updatedAt > r.createdAt) return "changed";
  return r.renews === null ? "added" : "renewed";
}
