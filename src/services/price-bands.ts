/**
 * Bands of unit price, as search_price_cells keeps them (drizzle/0020_search_price_cells.sql): ten
 * times the number of digits of unit_price_e4 plus its first digit (12,345 → 51, the prices from
 * 10,000 to 19,999), 0 for a price of zero or less. Bands are in the order of the prices they hold,
 * so prices up to a maximum are the bands below the maximum's own and part of that one.
 */
export function priceBandOf(unitPriceE4: number): number {
  if (unitPriceE4 <= 0) return 0;
  const digits = String(unitPriceE4);
  return digits.length * 10 + Number(digits[0]);
}

/** The least unit price (e4) in a band; for band 0, every price of zero or less. */
export function priceBandStart(band: number): number {
  if (band === 0) return Number.MIN_SAFE_INTEGER;
  return (band % 10) * 10 ** (Math.floor(band / 10) - 1);
}

/** The greatest unit price (e4) in a band; for band 0, zero. */
export function priceBandEnd(band: number): number {
  if (band === 0) return 0;
  return ((band % 10) + 1) * 10 ** (Math.floor(band / 10) - 1) - 1;
}
