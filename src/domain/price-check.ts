import { compareFractions, type Fraction, mulFraction, subtractFractions } from "./fraction.js";
import type { E4 } from "./money.js";
import { type PackageQty, unitPrice } from "./pricing.js";

export const PRICE_CHECK_CLASSES = ["at_chosen_price", "above_chosen_price", "alternative_available", "no_equivalent"] as const;
export type PriceCheckClass = (typeof PRICE_CHECK_CLASSES)[number];

export type LineComparison = {
  paidUnitPrice: Fraction;
  chosenUnitPrice: Fraction;
  /** Paid − chosen per smallest unit: positive is overpaid (or saved by switching). */
  differencePerUnit: Fraction;
  /** Smallest units bought: packages × the line's package quantity. */
  units: bigint;
  /** differencePerUnit × units. */
  total: Fraction;
  above: boolean;
};

/**
 * Compares what a hospital paid for a line (price per package of the line, packages bought) with a
 * chosen price, per smallest unit so packages of different sizes compare fairly. Exact, in e4.
 */
export function compareLine(x: { paidPrice: E4; linePackageQty: PackageQty; packages: bigint; chosenPrice: E4; chosenPackageQty: PackageQty }): LineComparison {
  const paidUnitPrice = unitPrice(x.paidPrice, x.linePackageQty);
  const chosenUnitPrice = unitPrice(x.chosenPrice, x.chosenPackageQty);
  const differencePerUnit = subtractFractions(paidUnitPrice, chosenUnitPrice);
  const units = x.packages * BigInt(x.linePackageQty || 1);
  return {
    paidUnitPrice,
    chosenUnitPrice,
    differencePerUnit,
    units,
    total: mulFraction(differencePerUnit, units),
    above: compareFractions(paidUnitPrice, chosenUnitPrice) > 0,
  };
}
