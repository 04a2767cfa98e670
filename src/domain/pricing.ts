import { compareFractions, type Fraction, fraction, roundFraction } from "./fraction.js";
import { type E4, fractionE4ToYuan, storedE4ToYuan } from "./money.js";
import { basisPointsToPercent } from "./percent.js";
import { divRoundHalfAway } from "./rounding.js";

/** Smallest units per package; null, undefined or 0 mean "unknown, the package is the unit". */
export type PackageQty = number | null | undefined;

/**
 * The divisor that turns a package price into a smallest-unit price.
 * Throws RangeError on negative, fractional or non-finite quantities.
 */
export function packageDivisor(packageQty: PackageQty): bigint {
  if (packageQty === null || packageQty === undefined || packageQty === 0) return 1n;
  if (!Number.isSafeInteger(packageQty) || packageQty < 0) {
    throw new RangeError(`Package quantity must be a non-negative integer, got ${packageQty}`);
  }
  return BigInt(packageQty);
}

/**
 * Price per smallest unit, exact, in e4. When packageQty is unknown (null, undefined, 0)
 * the package is the unit and the price is returned as is.
 */
export function unitPrice(priceE4: E4, packageQty: PackageQty): Fraction {
  return fraction(priceE4, packageDivisor(packageQty));
}

/** The unit price in e4 rounded half away from zero to an integer (stored for sorting and filtering). */
export function unitPriceE4Rounded(priceE4: E4, packageQty: PackageQty): number {
  return roundFraction(unitPrice(priceE4, packageQty), 0);
}

/**
 * Price reduction (降幅) in hundredths of a percent (9462 = 94.62 %), rounded half away
 * from zero. Both prices are for the same package, so the package quantity cancels and the
 * figure equals the per-smallest-unit comparison. Null when there is no reference or it is
 * not positive. A chosen price above the reference gives a negative figure, never an error.
 */
export function discountBasisPoints(chosenE4: E4, referenceE4: E4 | null | undefined): number | null {
  if (referenceE4 === null || referenceE4 === undefined || referenceE4 <= 0n) return null;
  return Number(divRoundHalfAway((referenceE4 - chosenE4) * 10_000n, referenceE4));
}

export type PriceFigures = {
  unitPrice: number;
  referenceUnitPrice: number | null;
  discountPct: number | null;
  aboveReference: boolean;
};

/**
 * The figures every response shows for one chosen price: unit prices in yuan to 4 places,
 * the reduction in percent to 2 places, and whether the chosen price exceeds its reference.
 */
export function priceFigures(p: { chosenPrice: E4; referencePrice: E4 | null; packageQty: number | null }): PriceFigures {
  const chosenUnit = unitPrice(p.chosenPrice, p.packageQty);
  const referenceUnit = p.referencePrice === null ? null : unitPrice(p.referencePrice, p.packageQty);
  const bp = discountBasisPoints(p.chosenPrice, p.referencePrice);
  return {
    unitPrice: fractionE4ToYuan(chosenUnit, 4),
    referenceUnitPrice: referenceUnit === null ? null : fractionE4ToYuan(referenceUnit, 4),
    discountPct: bp === null ? null : basisPointsToPercent(bp),
    // Only a usable (positive) reference can be exceeded; a zero one is missing data.
    aboveReference: bp !== null && referenceUnit !== null && compareFractions(chosenUnit, referenceUnit) > 0,
  };
}

/** A chosen price as stored: amounts in e4 and the figures this module derived when it was written. */
export type StoredPrice = {
  chosenPriceE4: number;
  referencePriceE4: number | null;
  unitPriceE4: number;
  discountBp: number | null;
  packageQty: number | null;
};

/**
 * `priceFigures` from the unit price and reduction stored at write time (both computed by this
 * module), so reading a page of prices repeats no exact division: the answers are identical.
 */
export function storedPriceFigures(p: StoredPrice): PriceFigures {
  return {
    unitPrice: storedE4ToYuan(p.unitPriceE4),
    referenceUnitPrice: p.referencePriceE4 === null ? null : storedE4ToYuan(unitPriceE4Rounded(BigInt(p.referencePriceE4), p.packageQty)),
    discountPct: p.discountBp === null ? null : basisPointsToPercent(p.discountBp),
    // Reference and chosen price are for the same package, so per-unit order is package order.
    aboveReference: p.discountBp !== null && p.referencePriceE4 !== null && p.chosenPriceE4 > p.referencePriceE4,
  };
}
