import { addFractions, divideFractions, type Fraction, fraction, mulFraction, roundFraction, subtractFractions, ZERO_FRACTION } from "./fraction.js";
import type { E4 } from "./money.js";

/**
 * Fund parts are stored as numerator × share split into hi × 10^6 + lo so that SQL sums of them
 * stay inside 64-bit integers (see drizzle/0003_savings_rollup_triggers.sql).
 */
export const FUND_SPLIT = 1_000_000n;

/** One group of rollup rows with the same divisor, as SQL sums them. */
export type RollupPart = {
  /** The numerators below are over this divisor (1 for whole packages, packageQty for the rest). */
  divisor: bigint;
  volumeRows: bigint;
  units: bigint;
  amountPaid: E4;
  /** Σ (reference − chosen per package, e4) × packages (or leftover units). */
  spendNum: bigint;
  /** Σ spendNum × fund share in basis points = fundHi × 10^6 + fundLo. */
  fundHi: bigint;
  fundLo: bigint;
  /** The part of spendNum whose fund share is unknown. */
  unsharedNum: bigint;
};

export type RollupSavings = {
  volumeRows: bigint;
  units: bigint;
  amountPaid: E4;
  /** Exact, in e4. */
  spendSaved: Fraction;
  fundSaved: Fraction;
  /** Spending saved for which no fund share is known (so it is not in fundSaved). */
  spendWithoutFundShare: Fraction;
};

export const EMPTY_ROLLUP_SAVINGS: RollupSavings = Object.freeze({
  volumeRows: 0n,
  units: 0n,
  amountPaid: 0n,
  spendSaved: ZERO_FRACTION,
  fundSaved: ZERO_FRACTION,
  spendWithoutFundShare: ZERO_FRACTION,
});

/**
 * Realized savings from rollup parts, exact: spend = Σ spendNum / divisor, fund = Σ (fundHi × 10^6 +
 * fundLo) / (divisor × 10000). Equals totalSavings() over the raw volume rows (a property test pins it).
 */
export function savingsFromRollup(parts: Iterable<RollupPart>): RollupSavings {
  // Parts over the same divisor add as integers, so only one fraction per distinct divisor is needed.
  const byDivisor = new Map<bigint, RollupPart>();
  for (const p of parts) {
    if (p.divisor <= 0n) throw new RangeError(`Rollup divisor must be positive, got ${p.divisor}`);
    const acc = byDivisor.get(p.divisor);
    byDivisor.set(p.divisor, acc ? addRollupParts(acc, p) : p);
  }
  let out = EMPTY_ROLLUP_SAVINGS;
  for (const p of byDivisor.values()) out = addRollupSavings(out, partSavings(p));
  return out;
}

function addRollupParts(a: RollupPart, b: RollupPart): RollupPart {
  return {
    divisor: a.divisor,
    volumeRows: a.volumeRows + b.volumeRows,
    units: a.units + b.units,
    amountPaid: a.amountPaid + b.amountPaid,
    spendNum: a.spendNum + b.spendNum,
    fundHi: a.fundHi + b.fundHi,
    fundLo: a.fundLo + b.fundLo,
    unsharedNum: a.unsharedNum + b.unsharedNum,
  };
}

function partSavings(p: RollupPart): RollupSavings {
  if (p.divisor <= 0n) throw new RangeError(`Rollup divisor must be positive, got ${p.divisor}`);
  return {
    volumeRows: p.volumeRows,
    units: p.units,
    amountPaid: p.amountPaid,
    spendSaved: fraction(p.spendNum, p.divisor),
    fundSaved: fraction(p.fundHi * FUND_SPLIT + p.fundLo, p.divisor * 10_000n),
    spendWithoutFundShare: fraction(p.unsharedNum, p.divisor),
  };
}

export function addRollupSavings(a: RollupSavings, b: RollupSavings): RollupSavings {
  return {
    volumeRows: a.volumeRows + b.volumeRows,
    units: a.units + b.units,
    amountPaid: a.amountPaid + b.amountPaid,
    spendSaved: addFractions(a.spendSaved, b.spendSaved),
    fundSaved: addFractions(a.fundSaved, b.fundSaved),
    spendWithoutFundShare: addFractions(a.spendWithoutFundShare, b.spendWithoutFundShare),
  };
}

/**
 * The fund share actually used, in percent to 2 places: fund saved over the spending saved that
 * had a known share. Null when no such spending exists (nothing to divide).
 */
export function fundSharePctUsed(s: Pick<RollupSavings, "spendSaved" | "fundSaved" | "spendWithoutFundShare">): number | null {
  const covered = subtractFractions(s.spendSaved, s.spendWithoutFundShare);
  if (covered.num === 0n) return null;
  return roundFraction(mulFraction(divideFractions(s.fundSaved, covered), 100n), 2);
}

/** Agreed volume of a set of prices with one divisor: Σ (reference − chosen) × agreed = hi × 10^6 + lo. */
export type ProjectedPart = { divisor: bigint; units: bigint; spendHi: bigint; spendLo: bigint };

export type ProjectedSavings = { units: bigint; spendSaved: Fraction; fundSaved: Fraction | null; fundShareBp: number | null };

/**
 * Projected savings of agreed volumes, exact: spend = Σ (hi × 10^6 + lo) / divisor; fund = spend ×
 * share when a share is given (null otherwise, rather than a guess).
 */
export function projectedSavings(parts: Iterable<ProjectedPart>, fundShareBp: number | null): ProjectedSavings {
  let units = 0n;
  let spend = ZERO_FRACTION;
  for (const p of parts) {
    if (p.divisor <= 0n) throw new RangeError(`Divisor must be positive, got ${p.divisor}`);
    units += p.units;
    spend = addFractions(spend, fraction(p.spendHi * FUND_SPLIT + p.spendLo, p.divisor));
  }
  if (fundShareBp !== null && (!Number.isSafeInteger(fundShareBp) || fundShareBp < 0 || fundShareBp > 10_000)) {
    throw new RangeError(`Fund share must be an integer number of basis points from 0 to 10000, got ${fundShareBp}`);
  }
  return {
    units,
    spendSaved: spend,
    fundSaved: fundShareBp === null ? null : mulFraction(spend, BigInt(fundShareBp), 10_000n),
    fundShareBp,
  };
}
