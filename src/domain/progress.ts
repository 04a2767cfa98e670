import { compareFractions, type Fraction, fraction, mulFraction, roundFraction } from "./fraction.js";

/** Completion rate (完成率) in percent to 2 places; null without a positive agreed volume. */
export function completionPct(purchased: bigint, agreed: bigint | null): number | null {
  if (agreed === null || agreed <= 0n) return null;
  return roundFraction(fraction(purchased * 100n, agreed), 2);
}

/** Agreed volume still to buy; never negative (buying more than agreed is allowed). */
export function remainingVolume(purchased: bigint, agreed: bigint | null): bigint | null {
  if (agreed === null) return null;
  return purchased >= agreed ? 0n : agreed - purchased;
}

export type CycleSchedule = {
  /** Days in the cycle, both ends included. */
  totalDays: number;
  /** Whole days of the cycle before `asOf`. */
  elapsedDays: number;
  /** Days of the cycle from `asOf` to the end, both included; 0 after the cycle. */
  daysLeft: number;
};

const DAY_MS = 86_400_000;

function dayNumber(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] === undefined ? 1 : Number(m[3]));
  return Number.isFinite(t) ? Math.round(t / DAY_MS) : null;
}

/** The end of a cycle given as a month (2022-12) is that month's last day. */
function endDayNumber(iso: string): number | null {
  if (/^\d{4}-\d{2}$/.test(iso)) {
    const [y, mo] = iso.split("-").map(Number) as [number, number];
    return Math.round(Date.UTC(y, mo, 0) / DAY_MS);
  }
  return dayNumber(iso);
}

/**
 * Where `asOf` falls in a procurement cycle (dates as YYYY-MM-DD, or YYYY-MM for a whole month).
 * Null when a date is missing or unreadable, or the cycle ends before it starts.
 */
export function cycleSchedule(cycleStart: string | null, cycleEnd: string | null, asOf: string): CycleSchedule | null {
  if (!cycleStart || !cycleEnd) return null;
  const start = dayNumber(cycleStart);
  const end = endDayNumber(cycleEnd);
  const now = dayNumber(asOf);
  if (start === null || end === null || now === null || end < start) return null;
  const totalDays = end - start + 1;
  const elapsedDays = Math.min(totalDays, Math.max(0, now - start));
  return { totalDays, elapsedDays, daysLeft: totalDays - elapsedDays };
}

/** Units a straight-line schedule expects bought by now: agreed × elapsed / total, exact. */
export function expectedByNow(agreed: bigint, s: CycleSchedule): Fraction {
  return mulFraction(fraction(agreed, BigInt(s.totalDays)), BigInt(s.elapsedDays));
}

/** Behind schedule: fewer units bought than the straight line expects by now. */
export function behindSchedule(purchased: bigint, agreed: bigint, s: CycleSchedule): boolean {
  return compareFractions(fraction(purchased), expectedByNow(agreed, s)) < 0;
}
