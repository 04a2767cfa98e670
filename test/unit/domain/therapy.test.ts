import { describe, expect, it } from 'vitest';
import { fraction, parseYuan } from '../../../src/domain/money.js';
import { unitPrice } from '../../../src/domain/pricing.js';
import { monthlyTherapyCost } from '../../../src/domain/therapy.js';

describe('monthlyTherapyCost', () => {
  it('is unit price × units a day × 30 days by default, in yuan to 2 places', () => {
    expect(monthlyTherapyCost(unitPrice(parseYuan('0.0946'), null))).toBe(2.84); // 2.838
    expect(monthlyTherapyCost(unitPrice(parseYuan('0.0946'), null), 3)).toBe(8.51); // 8.514
  });

  it('takes fractional doses and other periods exactly', () => {
    // half a 0.1-yuan tablet a day for 28 days = 1.4 yuan, no float drift
    expect(monthlyTherapyCost(unitPrice(parseYuan('0.1'), null), 0.5, 28)).toBe(1.4);
    // 1/3 e4 a unit × 3 a day × 30 days = 30 e4 = 0.003 yuan → 0.00; at 50 a day 500 e4 = 0.05
    expect(monthlyTherapyCost(fraction(1n, 3n), 3)).toBe(0);
    expect(monthlyTherapyCost(fraction(1n, 3n), 50)).toBe(0.05);
  });

  it('rounds half away from zero at the fen', () => {
    // 0.0005 yuan a unit × 30 = 0.015 yuan → 0.02
    expect(monthlyTherapyCost(fraction(5n), 1, 30)).toBe(0.02);
  });

  it('refuses negative or non-finite doses and periods', () => {
    expect(() => monthlyTherapyCost(fraction(1n), -1)).toThrow(RangeError);
    expect(() => monthlyTherapyCost(fraction(1n), 1, Number.NaN)).toThrow(RangeError);
    expect(() => monthlyTherapyCost(fraction(1n), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
