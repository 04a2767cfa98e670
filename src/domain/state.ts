/**
 * Whether a chosen price is in force on a date, derived from its procurement cycle and never
 * stored: a price's state changes with the calendar, not with an import.
 *
 * Cycle dates are YYYY-MM-DD or, as sources often publish them, YYYY-MM (a month start means its
 * first day, a month end its last). Comparing them as text with the date cut to the same length
 * gives exactly that, the same rule the SQL of src/services/price-filter-sql.ts applies.
 */
export const PRICE_STATES = ["upcoming", "in_force", "ended", "unknown"] as const;
export type PriceState = (typeof PRICE_STATES)[number];

/** What a pharmacist reads on the pages. */
export const PRICE_STATE_LABELS: Record<PriceState, string> = {
  upcoming: "未开始",
  in_force: "执行中",
  ended: "已到期",
  unknown: "周期未知",
};

/** Lists show these unless asked otherwise: only what is known to be ended or not yet started is hidden. */
export const DEFAULT_STATES: readonly PriceState[] = ["in_force", "unknown"];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CYCLE_DATE = /^\d{4}-\d{2}(-\d{2})?$/;

/** True for a date the state rule accepts as `asOf`: YYYY-MM-DD, a real calendar day. */
export function isIsoDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** True for a cycle date as stored: YYYY-MM-DD or YYYY-MM. */
export const isCycleDate = (s: string) => CYCLE_DATE.test(s) && (s.length === 7 ? isIsoDate(`${s}-01`) : isIsoDate(s));

/**
 * State of a cycle on `asOf` (YYYY-MM-DD): ended once the day after its end has come, upcoming
 * before its start, in force otherwise; unknown only when no cycle date is known at all. A cycle
 * with one known date is in force on the side of it the date allows (an end still to come, a start
 * already passed), as DOMAIN.md's rule reads: only what is known to be over or not begun is not.
 */
export function priceState(cycleStart: string | null | undefined, cycleEnd: string | null | undefined, asOf: string): PriceState {
  const start = cycleStart || "";
  const end = cycleEnd || "";
  if (!start && !end) return "unknown";
  if (end && end < asOf.slice(0, end.length)) return "ended";
  if (start && start > asOf) return "upcoming";
  return "in_force";
}

/** Today in China (Asia/Shanghai, UTC+8 all year, no daylight saving), as YYYY-MM-DD. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * A cycle that ends before it starts is a mistake in the source or the file, never a real cycle.
 * Returns the reason, or null when the pair is acceptable (either side may be missing).
 */
export function cycleProblem(cycleStart: string | null | undefined, cycleEnd: string | null | undefined): string | null {
  if (cycleStart && !isCycleDate(cycleStart)) return `cycle start ${JSON.stringify(cycleStart)} is not a date (YYYY-MM-DD or YYYY-MM)`;
  if (cycleEnd && !isCycleDate(cycleEnd)) return `cycle end ${JSON.stringify(cycleEnd)} is not a date (YYYY-MM-DD or YYYY-MM)`;
  if (cycleStart && cycleEnd) {
    // Compare at the shorter precision: 2021-05 … 2021-05-31 is one month, not an inverted cycle.
    const n = Math.min(cycleStart.length, cycleEnd.length);
    if (cycleEnd.slice(0, n) < cycleStart.slice(0, n)) return `cycle ends (${cycleEnd}) before it starts (${cycleStart})`;
  }
  return null;
}
