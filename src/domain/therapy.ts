import { multiplyFractions, numberToFraction, type Fraction } from './fraction.js';
import { fractionE4ToYuan } from './money.js';

/**
 * Monthly therapy cost (每月药费) in yuan to 2 places: unitPrice × unitsPerDay × days.
 * unitsPerDay may be fractional (half a tablet a day is 0.5) and is taken as its decimal value.
 * Throws RangeError on negative or non-finite unitsPerDay or days.
 */
export function monthlyTherapyCost(unitPriceE4: Fraction, unitsPerDay = 1, days = 30): number {
  for (const [name, value] of [['unitsPerDay', unitsPerDay], ['days', days]] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${name} must be a non-negative finite number, got ${value}`);
    }
  }
  const perDay = multiplyFractions(unitPriceE4, numberToFraction(unitsPerDay));
  return fractionE4ToYuan(multiplyFractions(perDay, numberToFraction(days)), 2);
}
