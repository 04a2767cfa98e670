import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { batches, prices, products } from "../db/schema";
import { bareColumns, renderedAlias } from "../db/trusted-sql";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { newestWithdrawal } from "./tombstones";

/**
 * Where a sync left off. Two clocks, because two things change what a client holds:
 * - `updated`: the newest `updated_at` the client has seen. Writes are serialised (one writer at a
 *   time) and stamp rows while they hold the lock, so anything committed later is stamped later:
 *   even a long import's rows, stamped before it committed, are newer than every row visible before.
 * - `clock`: when the sync ran, for prices that ended in between (a price ends by the calendar, not
 *   by a write: after the last day of its cycle, Asia/Shanghai).
 * An RFC 3339 time sets both; the token a feed answers carries both.
 */
export type SyncPoint = { updated: string; clock: string };

const TOKEN_PREFIX = "s1.";

/** ISO-8601 in UTC with milliseconds: the format `updated_at` is stored in, so text compares as time. */
const iso = (ms: number) => new Date(ms).toISOString();

export function syncToken(point: SyncPoint): string {
  return `${TOKEN_PREFIX}${encodeCursor({ v: point.clock, id: Date.parse(point.updated) })}`;
}

/** An RFC 3339 time or a token from `meta.syncToken`; anything else is a 400 naming what to send. */
export function parseUpdatedSince(raw: string): SyncPoint {
  if (raw.startsWith(TOKEN_PREFIX)) {
    const c = decodeCursor(raw.slice(TOKEN_PREFIX.length));
    const clock = typeof c.v === "string" ? Date.parse(c.v) : Number.NaN;
    if (Number.isFinite(clock)) return { updated: iso(c.id), clock: iso(clock) };
  } else if (RFC3339.test(raw)) {
    const ms = Date.parse(raw);
    if (Number.isFinite(ms)) return { updated: iso(ms), clock: iso(ms) };
  }
  throw new AppError(400, "invalid_updated_since", "updatedSince must be an RFC 3339 time (2026-11-28T00:00:00+08:00) or meta.syncToken of an earlier answer");
}

export const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** The last day of a cycle that has ended by `ms`: the Shanghai day before the one `ms` falls on. */
export function lastEndedDay(ms: number): string {
  return iso(ms - 16 * 3600_000).slice(0, 10);
}

/** When a price with cycle end `day` stopped being in force: the end of that day in Asia/Shanghai. */
export const endedAtSql = (day: SQL) => sql`(${day} || 'T16:00:00.000Z')`;

/** Where the next sync starts: the newest stamp of the table (a withdrawal of one of its rows too) and now. */
export async function currentSyncPoint(db: Db, table: "prices" | "products" | "batches", now = Date.now()): Promise<SyncPoint> {
  const t = { prices, products, batches }[table];
  const newest = sql`SELECT max(s) AS updated FROM (SELECT max(${sql.identifier(t.updatedAt.name)}) AS s FROM ${t} UNION ALL ${newestWithdrawal(table)})`;
  const [row] = await readRows<{ updated: string | null }>(db, newest);
  return { updated: row?.updated ?? iso(0), clock: iso(now) };
}

export type ChangeKind = "added" | "changed" | "ended" | "withdrawn";

/**
 * Feeds report ended prices (tombstones, "ended" entries), which lists hide by default once prices
 * carry a state (issue 15: `include=ended`; the only other value, `all`, keeps the same); a `state=`
 * the caller gives still decides.
 */
export const ENDED_TOO = { include: "ended" } as const;

export type FeedWindow = {
  since: SyncPoint;
  /** Shanghai days: a cycle end after `endedAfter` and at most `endedBy` ended inside the window. */
  endedAfter: string;
  endedBy: string;
  now: string;
};

export function feedWindow(since: SyncPoint, now = Date.now()): FeedWindow {
  return { since, endedAfter: lastEndedDay(Date.parse(since.clock)), endedBy: lastEndedDay(now), now: iso(now) };
}

/** The aliases of PRICE_FROM (src/services/price-view.ts) the conditions below are written over, and two of their own. */
const p = renderedAlias(prices, "p");
const b = renderedAlias(batches, "b");
const p2 = renderedAlias(prices, "p2");
const b2 = renderedAlias(batches, "b2");

/**
 * Prices that changed in the window, as a condition on `p` (prices) joined to `b` (batches): each
 * part can use an index (updated_at, cycle_end, batch), which a single OR across the join cannot.
 */
export function changedPricesCondition(w: FeedWindow): SQL {
  const c = bareColumns(prices);
  return sql`${p.id} IN (
    SELECT ${c.id} FROM ${prices} WHERE ${c.updatedAt} > ${w.since.updated}
    UNION SELECT ${c.id} FROM ${prices} WHERE ${c.cycleEnd} > ${w.endedAfter} AND ${c.cycleEnd} <= ${w.endedBy}
    UNION SELECT ${p2.id} FROM ${batches} ${b2} JOIN ${prices} ${p2} ON ${p2.batchId} = ${b2.id}
      WHERE ${p2.cycleEnd} IS NULL AND ${b2.cycleEnd} > ${w.endedAfter} AND ${b2.cycleEnd} <= ${w.endedBy})`;
}

/** When a price last changed for a client: its last write, or the end of its cycle if that came later (and has passed). */
export function priceChangedAtSql(w: FeedWindow): SQL {
  const endDay = sql`COALESCE(${p.cycleEnd}, ${b.cycleEnd})`;
  return sql`(CASE WHEN ${endDay} <= ${w.endedBy} AND ${endedAtSql(endDay)} > ${p.updatedAt} THEN ${endedAtSql(endDay)} ELSE ${p.updatedAt} END)`;
}

/** Keyset position in a feed: the change time and the id; the window's end rides along so every page agrees. */
export function feedCursor(changedAt: string, id: number, until: SyncPoint): string {
  return encodeCursor({ v: JSON.stringify([changedAt, until.updated, until.clock]), id });
}

export function readFeedCursor(raw: string): { changedAt: string; id: number; until: SyncPoint } {
  const c = decodeCursor(raw);
  try {
    const [changedAt, updated, clock] = JSON.parse(String(c.v)) as unknown[];
    if (typeof changedAt === "string" && typeof updated === "string" && typeof clock === "string") return { changedAt, id: c.id, until: { updated, clock } };
  } catch {
    // below
  }
  throw new AppError(400, "invalid_cursor", "cursor does not belong to an updatedSince feed; start again without it");
}

/** What happened to a price, as a client that synced at `since` should read it. */
export function changeKind(row: { storedStatus: string; createdAt: string; cycleEnd: string | null }, w: FeedWindow): ChangeKind {
  if (row.storedStatus !== "active") return "withdrawn";
  if (row.cycleEnd !== null && row.cycleEnd <= w.endedBy) return "ended";
  return row.createdAt > w.since.updated ? "added" : "changed";
}
