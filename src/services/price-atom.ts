import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { changeKind, ENDED_TOO, feedWindow, priceChangedAtSql, type ChangeKind } from "./change-feed";
import { PRICE_COLUMNS, PRICE_FROM, regionNamesOf, toPriceView, type PriceSqlRow, type PriceView } from "./price-view";
import { priceFilters, whereSql, type PriceQuery } from "./prices";

/** Entries in a feed: what a reader shows; older changes stay in the JSON change feed. */
export const ATOM_ENTRIES = 50;

export type AtomEntry = { price: PriceView; kind: ChangeKind | "renewed"; at: string };

/**
 * The latest changes among the prices a search matches, newest first: added, changed, ended (the
 * day after the cycle's last, Asia/Shanghai) or withdrawn. The newest by write time and the newest
 * by cycle end are each read from an index, then merged, so a feed never sorts the whole table.
 */
export async function latestPriceChanges(db: Db, query: Omit<PriceQuery, "limit" | "cursor" | "sort">, now = Date.now()): Promise<AtomEntry[]> {
  // Everything since the epoch: "added" means never changed since it was written.
  const w = feedWindow({ updated: "1970-01-01T00:00:00.000Z", clock: "1970-01-01T00:00:00.000Z" }, now);
  const filters = await priceFilters(db, { ...query, ...ENDED_TOO });
  const endDay = sql`COALESCE(p.cycle_end, b.cycle_end)`;
  const byWrite = sql`SELECT p.id FROM ${PRICE_FROM} ${whereSql(filters)} ORDER BY p.updated_at DESC LIMIT ${ATOM_ENTRIES}`;
  const byEnd = sql`SELECT p.id FROM ${PRICE_FROM} ${whereSql([...filters, sql`${endDay} <= ${w.endedBy}`])} ORDER BY ${endDay} DESC LIMIT ${ATOM_ENTRIES}`;
  const changedAt = priceChangedAtSql(w);
  const rows = await readRows<PriceSqlRow & { changedAt: string; createdAt: string; updatedAt: string; storedStatus: string }>(db, sql`
    SELECT ${PRICE_COLUMNS}, ${changedAt} AS changedAt, p.created_at AS createdAt, p.updated_at AS updatedAt, p.status AS storedStatus FROM ${PRICE_FROM}
    WHERE p.id IN (SELECT id FROM (${byWrite}) UNION SELECT id FROM (${byEnd}))
    ORDER BY changedAt DESC, p.id DESC LIMIT ${ATOM_ENTRIES}`);
  const names = await regionNamesOf(db, rows);
  return rows.map((r) => {
    // Against the epoch every live price is "added"; one rewritten after it was first stored has changed.
    const kind = changeKind(r, w);
    return { price: toPriceView(r, names), kind: kind === "added" && r.updatedAt > r.createdAt ? "changed" : kind, at: r.changedAt };
  });
}
