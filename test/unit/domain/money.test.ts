import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { e4ToYuan, formatYuan, fraction, fractionE4ToYuan, MoneyFormatError, parseYuan, yuanToE4 } from "../../../src/domain/money.js";

// 15 significant digits survive a trip through a double and its shortest string.
const MAX_ROUND_TRIP = 10n ** 15n - 1n;
const e4Amount = fc.bigInt({ min: -MAX_ROUND_TRIP, max: MAX_ROUND_TRIP });

describe("parseYuan", () => {
  it.each([
    ["156.8", 1_568_000n],
    ["0.0946", 946n],
    ["-3", -30_000n],
    ["13000", 130_000_000n],
    ["+2.5", 25_000n],
    ["0", 0n],
    ["-0", 0n],
    ["007.10", 71_000n],
    ["3.60000", 36_000n],
    ["123456789012345678901234.5678", 1_234_567_890_123_456_789_012_345_678n],
  ])("reads %s exactly", (text, expected) => {
    expect(parseYuan(text)).toBe(expected);
  });

  it.each(["", " ", "12a", "abc", "1e3", "1E-2", "0.00001", "1.23456", ".5", "5.", "1,000", "¥3", " 3", "3 ", "--1", "1.2.3", "NaN", "Infinity"])(
    "rejects %j with a MoneyFormatError naming the text",
    (text) => {
      expect(() => parseYuan(text)).toThrow(MoneyFormatError);
      expect(() => parseYuan(text)).toThrow(`"${text}"`);
    },
  );

  it("says why it rejects", () => {
    expect(() => parseYuan("")).toThrow(/empty/);
    expect(() => parseYuan("0.12345")).toThrow(/more than 4 decimals/);
    expect(() => parseYuan("1e3")).toThrow(/not a plain decimal/);
  });

  it("reads any decimal with up to 4 decimals back to the same number", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 0, maxLength: 4 }),
        fc.boolean(),
        (whole, frac, negative) => {
          const text = `${negative ? "-" : ""}${whole}${frac === "" ? "" : `.${frac}`}`;
          const e4 = parseYuan(text);
          expect(e4).toBe((negative ? -1n : 1n) * (whole * 10_000n + BigInt(frac.padEnd(4, "0"))));
          // + 0 turns Number('-0') into 0: e4ToYuan never answers negative zero.
          expect(e4ToYuan(e4)).toBe(Number(text) + 0);
        },
      ),
    );
  });
});

describe("yuanToE4", () => {
  it.each([
    [0.1, 1000n],
    [0.0946, 946n],
    [156.8, 1_568_000n],
    [-3, -30_000n],
    [1e21, 10n ** 25n],
    [1.5e-3, 15n],
    [-0, 0n],
  ])("converts %d exactly", (n, expected) => {
    expect(yuanToE4(n)).toBe(expected);
  });

  it.each([0.1 + 0.2, 1e-7, 0.00001, 1.23456, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("rejects %d", (n) => {
    expect(() => yuanToE4(n)).toThrow(MoneyFormatError);
  });
});

describe("e4ToYuan", () => {
  it("gives 4 places by default", () => {
    expect(e4ToYuan(946n)).toBe(0.0946);
    expect(e4ToYuan(1_568_000n)).toBe(156.8);
  });

  it("rounds half away from zero", () => {
    expect(e4ToYuan(5n, 3)).toBe(0.001);
    expect(e4ToYuan(-5n, 3)).toBe(-0.001);
    expect(e4ToYuan(4n, 3)).toBe(0);
    expect(e4ToYuan(15_000n, 0)).toBe(2);
    expect(e4ToYuan(-15_000n, 0)).toBe(-2);
    expect(e4ToYuan(14_999n, 0)).toBe(1);
    expect(e4ToYuan(12_345n, 2)).toBe(1.23);
    expect(e4ToYuan(12_350n, 2)).toBe(1.24);
  });

  it("never answers negative zero", () => {
    expect(Object.is(e4ToYuan(-4n, 3), 0)).toBe(true);
  });

  it("rejects places outside 0..4 from untyped callers", () => {
    expect(() => e4ToYuan(1n, 5 as 4)).toThrow(RangeError);
    expect(() => e4ToYuan(1n, 1.5 as 1)).toThrow(RangeError);
  });

  it("round-trips through yuanToE4 for any 4-decimal amount", () => {
    fc.assert(fc.property(e4Amount, (v) => yuanToE4(e4ToYuan(v)) === v));
  });
});

describe("formatYuan", () => {
  it("writes plain decimals without trailing zeros", () => {
    expect(formatYuan(36_000n)).toBe("3.6");
    expect(formatYuan(130_000_000n)).toBe("13000");
    expect(formatYuan(946n)).toBe("0.0946");
    expect(formatYuan(-946n)).toBe("-0.0946");
    expect(formatYuan(12_350n, 2)).toBe("1.24");
    expect(formatYuan(0n)).toBe("0");
  });

  it("round-trips through parseYuan for any 4-decimal amount", () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (v) => parseYuan(formatYuan(v)) === v));
  });
});

describe("fractionE4ToYuan", () => {
  it("divides by 10000 and rounds", () => {
    expect(fractionE4ToYuan(fraction(36_000n, 7n), 4)).toBe(0.5143);
    expect(fractionE4ToYuan(fraction(36_000n, 7n), 2)).toBe(0.51);
    expect(fractionE4ToYuan(fraction(50n, 1n), 2)).toBe(0.01);
    expect(fractionE4ToYuan(fraction(-50n, 1n), 2)).toBe(-0.01);
    expect(fractionE4ToYuan(fraction(49n, 1n), 2)).toBe(0);
  });
});
