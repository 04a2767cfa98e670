import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { discountBasisPoints, priceFigures, storedPriceFigures, unitPriceE4Rounded } from "../../../src/domain";

describe("figures read back from stored values", () => {
  it("equal the figures computed from the prices, for any price, reference and package", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 50_000_000_000n }),
        fc.option(fc.bigInt({ min: 0n, max: 50_000_000_000n })),
        fc.option(fc.integer({ min: 1, max: 5000 })),
        (chosen, reference, packageQty) => {
          const stored = storedPriceFigures({
            chosenPriceE4: Number(chosen),
            referencePriceE4: reference === null ? null : Number(reference),
            unitPriceE4: unitPriceE4Rounded(chosen, packageQty),
            discountBp: discountBasisPoints(chosen, reference),
            packageQty,
          });
          expect(stored).toEqual(priceFigures({ chosenPrice: chosen, referencePrice: reference, packageQty }));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("keeps the atorvastatin check: 3.6 against 156.8 per box of 7 is 97.70 %, 0.5143 per tablet", () => {
    const f = storedPriceFigures({ chosenPriceE4: 36000, referencePriceE4: 1568000, unitPriceE4: 5143, discountBp: 9770, packageQty: 7 });
    expect(f).toEqual({ unitPrice: 0.5143, referenceUnitPrice: 22.4, discountPct: 97.7, aboveReference: false });
  });
});
