import { describe, expect, it } from "vitest";
import { priceBandEnd, priceBandOf, priceBandStart } from "../../src/services/price-bands";

// Unit prices in 0.0001 yuan: around every edge a maximum can fall on, and far past them.
const PRICES = [-5, 0, 1, 2, 9, 10, 11, 99, 100, 999, 1000, 1689, 6269, 9999, 10000, 15294, 19999, 20000, 99999, 100000, 290193, 999999999, 1e12];

describe("bands of unit price (search_price_cells, search_code_price_cells)", () => {
  it("hold each price between their least and greatest, and follow each other in price order", () => {
    for (const u of PRICES) {
      const band = priceBandOf(u);
      const [from, to] = [priceBandStart(band), priceBandEnd(band)];
      expect(from, `${u}`).toBeLessThanOrEqual(u);
      if (u > 0) {
        expect(u, `${u}`).toBeLessThanOrEqual(to);
        expect([priceBandOf(from), priceBandOf(to)], `${u}`).toEqual([band, band]);
        // The next price past the band opens the next band up; the one before its start, the band below.
        expect(priceBandOf(to + 1), `${u}`).toBeGreaterThan(band);
        expect(priceBandOf(from - 1), `${u}`).toBeLessThan(band);
      }
    }
  });

  it("are tenths of a decade by the first digit (12,345 is in 10,000–19,999), and 0 for no price above zero", () => {
    expect([priceBandOf(12345), priceBandStart(51), priceBandEnd(51)]).toEqual([51, 10000, 19999]);
    expect([priceBandOf(6269), priceBandStart(46), priceBandEnd(46)]).toEqual([46, 6000, 6999]);
    expect([priceBandOf(99999), priceBandEnd(59), priceBandOf(100000)]).toEqual([59, 99999, 61]);
    expect([priceBandOf(0), priceBandOf(-3), priceBandEnd(0)]).toEqual([0, 0, 0]);
  });
});
