import { addFractions, type Fraction, mulFraction, subtractFractions, ZERO_FRACTION } from "./fraction.js";
import type { E4 } from "./money.js";
import { unitPrice } from "./pricing.js";

export type SavingsInput = {
  referencePrice: E4 | null;
  chosenPrice: E4;
  packageQty: number | null;
  /** Smallest units bought (or agreed, for projected savings). */
  units: bigint;
};

export type SavingsRow = SavingsInput & {
  amountPaid?: E4 | null;
  /** Share of spending paid by the insurance fund, in hundredths of a percent (72.8 % = 7280). */
  fundShareBp: number;
};

export type SavingsTotals = {
  units: bigint;
  amountPaid: E4;
  spendSaved: Fraction;
  fundSaved: Fraction;
};

/**
 * Spending saved, exact, in e4: (referenceUnitPrice − unitPrice) × units. Zero when there
 * is no usable (positive) reference; negative when the chosen price is above the reference.
 */
export function spendSaved(x: SavingsInput): Fraction {
  if (x.referencePrice === null || x.referencePrice <= 0n) return ZERO_FRACTION;
  const perUnit = subtractFractions(unitPrice(x.referencePrice, x.packageQty), unitPrice(x.chosenPrice, x.packageQty));
  return mulFraction(perUnit, x.units);
}

/**
 * The part of the spending saved that the insurance fund would have paid, exact:
 * spend × fundShareBp / 10000. Throws RangeError unless fundShareBp is an integer from 0 to 10000.
 */
export function fundSaved(spend: Fraction, fundShareBp: number): Fraction {
  if (!Number.isSafeInteger(fundShareBp) || fundShareBp < 0 || fundShareBp > 10_000) {
    throw new RangeError(`Fund share must be an integer number of basis points from 0 to 10000, got ${fundShareBp}`);
  }
  return mulFraction(spend, BigInt(fundShareBp), 10_000n);
}

/**
 * Totals over volume (or agreed-volume) rows, each with its own fund share. Exact, so
 * the totals do not depend on the order of the rows. A missing amountPaid counts as 0.
 */
export function totalSavings(rows: Iterable<SavingsRow>): SavingsTotals {
  let units = 0n;
  let amountPaid = 0n;
  let spend = ZERO_FRACTION;
  let fund = ZERO_FRACTION;
  for (const row of rows) {
    const rowSpend = spendSaved(row);
    units += row.units;
    amountPaid += row.amountPaid ?? 0n;
    spend = addFractions(spend, rowSpend);
    fund = addFractions(fund, fundSaved(rowSpend, row.fundShareBp));
  }
  return { units, amountPaid, spendSaved: spend, fundSaved: fund };
}
