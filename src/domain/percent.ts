import { numberToScaledDecimal, rescale } from "./decimal.js";

/**
 * A percentage given as a number (72.8) in basis points of percent, hundredths of a
 * percent (7280), converted through its decimal form so no float error creeps in.
 * Throws RangeError on NaN, infinities and more than 2 decimals.
 */
export function percentToBasisPoints(pct: number): number {
  if (!Number.isFinite(pct)) throw new RangeError(`Not a finite percentage: ${pct}`);
  const bp = rescale(numberToScaledDecimal(pct), 2);
  if (bp === null) throw new RangeError(`Percentage has more than 2 decimals: ${pct}`);
  return Number(bp);
}

/** Basis points of percent (9462) as a percent JSON number (94.62). */
export function basisPointsToPercent(bp: number): number {
  // bp is an integer, so one correctly rounded division gives the double nearest to bp/100.
  return bp / 100;
}
