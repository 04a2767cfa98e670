import { describe, expect, it } from "vitest";
import {
  DEVICE_TEMPLATES,
  dosageFormOf,
  formatMinor,
  NATIONAL_BATCH1_NAMES,
  PRICE_COLUMNS,
  type PriceRow,
  SYNTHETIC_BATCH_DEFS,
  syntheticBatches,
  syntheticPrices,
} from "../../../src/synthetic/index.js";
import { factsPath, readCsv, repoPath } from "./helpers.js";

const N = 50_000;
const rows: PriceRow[] = [...syntheticPrices({ count: N, seed: 1 })];
const DECIMAL = /^(0|[1-9]\d*)(\.\d{0,3}[1-9])?$/; // plain decimal, ≤ 4 places, no trailing zero
const share = (pred: (r: PriceRow) => boolean): number => rows.filter(pred).length / rows.length;
/** price text → integer ten-thousandths, exactly */
const minor = (s: string): number => {
  const [whole, frac = ""] = s.split(".");
  return Number(whole) * 10_000 + Number(frac.padEnd(4, "0"));
};
/** Rows (first 5 shown) failing a check; per-row expect() over 50,000 rows is too slow. */
const failing = (check: (r: PriceRow) => boolean): PriceRow[] => rows.filter((r) => !check(r)).slice(0, 5);

describe("syntheticPrices: determinism", () => {
  it("yields exactly count rows", () => {
    expect(rows).toHaveLength(N);
    expect([...syntheticPrices({ count: 0 })]).toEqual([]);
    expect([...syntheticPrices({ count: 1 })]).toHaveLength(1);
  });

  it("gives identical rows for the same seed (default seed is 1)", () => {
    expect([...syntheticPrices({ count: 2000, seed: 1 })]).toEqual(rows.slice(0, 2000));
    expect([...syntheticPrices({ count: 2000 })]).toEqual(rows.slice(0, 2000));
  });

  it("a shorter run is a prefix of a longer one", () => {
    expect([...syntheticPrices({ count: 777, seed: 1 })]).toEqual(rows.slice(0, 777));
  });

  it("gives different rows for different seeds", () => {
    const a = [...syntheticPrices({ count: 200, seed: 2 })];
    const b = [...syntheticPrices({ count: 200, seed: 3 })];
    expect(a).not.toEqual(rows.slice(0, 200));
    expect(a).not.toEqual(b);
    const key = (r: PriceRow) => `${r.genericName}|${r.spec}|${r.chosenPrice}|${r.batch}`;
    const same = a.filter((r, i) => key(r) === key(b[i] as PriceRow)).length;
    expect(same).toBeLessThan(10);
  });

  it("streams lazily: a huge count does not build anything up front", () => {
    const it = syntheticPrices({ count: 1_000_000_000, seed: 5 });
    const first = it.next();
    expect(first.done).toBe(false);
    expect(first.value?.nhsaCode).toMatch(/^SYN/);
    it.return(undefined);
  });

  it("rejects a bad count or seed", () => {
    expect(() => [...syntheticPrices({ count: -1 })]).toThrow(RangeError);
    expect(() => [...syntheticPrices({ count: 1.5 })]).toThrow(RangeError);
    expect(() => [...syntheticPrices({ count: 3, seed: 0.5 })]).toThrow(RangeError);
  });
});

describe("syntheticPrices: marking and shape", () => {
  it("rows have exactly the prices.csv columns, in order", () => {
    for (const r of rows.slice(0, 500)) expect(Object.keys(r)).toEqual([...PRICE_COLUMNS]);
    const seedHeader = readCsv(repoPath("seeds/prices.csv")).fields;
    expect([...PRICE_COLUMNS]).toEqual(seedHeader);
  });

  it("every row is synthetic, with a SYN code and a SYN-marked approval number", () => {
    expect(
      failing(
        (r) =>
          r.synthetic === "true" &&
          r.source === "synthetic" &&
          /^SYN[DC]\d{10}$/.test(r.nhsaCode) &&
          (r.category === "drug" ? /^国药准字H\d{8}SYN$/ : /^国械注准\d{11}SYN$/).test(r.approvalNo) &&
          r.manufacturer.startsWith("演示"),
      ),
    ).toEqual([]);
  });

  it("(batch, nhsaCode) is unique over 50,000 rows", () => {
    const keys = new Set(rows.map((r) => `${r.batch}\u0000${r.nhsaCode}`));
    expect(keys.size).toBe(N);
  });

  it("one nhsaCode is one product: the same attributes wherever it appears", () => {
    const fixed = [
      "category",
      "genericName",
      "dosageForm",
      "spec",
      "packageText",
      "packageQty",
      "packageUnit",
      "smallestUnit",
      "manufacturer",
      "approvalNo",
    ] as const;
    const seen = new Map<string, string>();
    const differing = failing((r) => {
      const attrs = fixed.map((k) => r[k]).join("|");
      const prev = seen.get(r.nhsaCode);
      if (prev === undefined) seen.set(r.nhsaCode, attrs);
      return prev === undefined || prev === attrs;
    });
    expect(differing).toEqual([]);
    expect(seen.size).toBeLessThan(N / 1.5);
  });

  it("batches exist, match the product category, and a product appears oldest batch first", () => {
    const defs = new Map(SYNTHETIC_BATCH_DEFS.map((b, i) => [b.id, { ...b, order: i }]));
    expect(new Set(syntheticBatches().map((b) => b.id))).toEqual(new Set(defs.keys()));
    const last = new Map<string, number>();
    const bad = failing((r) => {
      const b = defs.get(r.batch);
      if (b === undefined || b.category !== r.category) return false;
      const ok = b.order > (last.get(r.nhsaCode) ?? -1);
      last.set(r.nhsaCode, b.order);
      return ok;
    });
    expect(bad).toEqual([]);
    const used = new Set(rows.map((r) => r.batch));
    expect(used).toEqual(new Set(defs.keys()));
  });
});

describe("syntheticPrices: realistic content", () => {
  it("drug names and English names come from the real batch-1 list; device names from the device list", async () => {
    const real = readCsv(factsPath("national-batch1-names.csv")).rows;
    expect(NATIONAL_BATCH1_NAMES).toEqual(real.map((r) => ({ genericName: r.genericName, genericNameEn: r.genericNameEn })));
    const en = new Map(real.map((r) => [r.genericName, r.genericNameEn]));
    const devices = new Map(DEVICE_TEMPLATES.map((t) => [t.genericName, t.genericNameEn]));
    expect(
      failing((r) => {
        const expected = r.category === "drug" ? en.get(r.genericName) : devices.get(r.genericName);
        return expected !== undefined && r.genericNameEn === expected;
      }),
    ).toEqual([]);
    // every real name shows up in a run this size
    expect(new Set(rows.filter((r) => r.category === "drug").map((r) => r.genericName)).size).toBe(real.length);
    const deviceShare = share((r) => r.category === "device");
    expect(deviceShare).toBeGreaterThan(0.03);
    expect(deviceShare).toBeLessThan(0.2);
  });

  it("dosage forms follow the name and packages are consistent", () => {
    expect(dosageFormOf("阿托伐他汀钙片")).toBe("片剂");
    expect(dosageFormOf("注射用培美曲塞二钠")).toBe("注射剂");
    expect(dosageFormOf("盐酸右美托咪定注射液")).toBe("注射剂");
    expect(dosageFormOf("蒙脱石散")).toBe("散剂");
    expect(dosageFormOf("奥美拉唑肠溶胶囊")).toBe("胶囊");
    expect(dosageFormOf("冠脉支架")).toBe("");
    const unitOfForm: Record<string, string> = { 片剂: "片", 散剂: "袋", 注射剂: "支" };
    expect(
      failing(
        (r) =>
          r.dosageForm === (r.category === "drug" ? dosageFormOf(r.genericName) : "") &&
          r.spec !== "" &&
          (r.category === "device" || r.smallestUnit === unitOfForm[r.dosageForm]) &&
          /^[1-9]\d*$/.test(r.packageQty) &&
          r.packageText === `${r.packageQty}${r.smallestUnit}/${r.packageUnit}` &&
          ["盒", "瓶", "袋"].includes(r.packageUnit) &&
          /^[1-9]\d*$/.test(r.agreedVolume) &&
          r.cycleStart === "" &&
          r.cycleEnd === "",
      ),
    ).toEqual([]);
  });

  it("chosen prices are decimals with at most 4 places, 0.05 to 500 yuan", () => {
    expect(
      failing(
        (r) =>
          DECIMAL.test(r.chosenPrice) &&
          minor(r.chosenPrice) >= 500 &&
          minor(r.chosenPrice) <= 5_000_000 &&
          (r.referencePrice === "" || DECIMAL.test(r.referencePrice)),
      ),
    ).toEqual([]);
    // the text is what a decimal parser reads back: no float noise
    expect(failing((r) => Number(r.chosenPrice).toString() === r.chosenPrice)).toEqual([]);
    // both 2-decimal and 4-decimal prices occur
    expect(share((r) => /\.\d{3,4}$/.test(r.chosenPrice))).toBeGreaterThan(0.1);
    expect(share((r) => !/\.\d{3,4}$/.test(r.chosenPrice))).toBeGreaterThan(0.5);
  });

  it("references: mostly above the chosen price, about 2 % below, about 5 % missing, mostly ceilings", () => {
    const none = share((r) => r.referencePrice === "");
    const below = share((r) => r.referencePrice !== "" && minor(r.referencePrice) < minor(r.chosenPrice));
    const above = share((r) => r.referencePrice !== "" && minor(r.referencePrice) > minor(r.chosenPrice));
    expect(none).toBeGreaterThan(0.04);
    expect(none).toBeLessThan(0.06);
    expect(below).toBeGreaterThan(0.015);
    expect(below).toBeLessThan(0.025);
    expect(above + below + none).toBeCloseTo(1, 10); // never equal
    expect(failing((r) => (r.referenceKind === "") === (r.referencePrice === ""))).toEqual([]);
    const ceiling = share((r) => r.referenceKind === "ceiling");
    expect(ceiling).toBeGreaterThan(0.8);
    expect(share((r) => r.referenceKind === "pre_vbp")).toBeGreaterThan(0.05);
  });

  it("supply regions are province names from seeds/regions.csv, inside the batch scope; national batches are sometimes nationwide", () => {
    const names = new Set(
      readCsv(repoPath("seeds/regions.csv"))
        .rows.filter((r) => r.level === "province")
        .map((r) => r.name),
    );
    const scope = new Map(SYNTHETIC_BATCH_DEFS.map((b) => [b.id, b.scope]));
    expect(names.size).toBe(31);
    const bad = failing((r) => {
      const batchScope = scope.get(r.batch) ?? [];
      if (r.supplyRegions === "") return batchScope.length === 0;
      const parts = r.supplyRegions.split("、");
      return new Set(parts).size === parts.length && parts.every((p) => names.has(p) && (batchScope.length === 0 || batchScope.includes(p)));
    });
    expect(bad).toEqual([]);
    expect(share((r) => r.supplyRegions === "")).toBeGreaterThan(0.05);
  });

  it("products recur across batches (price history) and have alternatives from other firms", () => {
    const batchesPerCode = new Map<string, number>();
    for (const r of rows) batchesPerCode.set(r.nhsaCode, (batchesPerCode.get(r.nhsaCode) ?? 0) + 1);
    const counts = [...batchesPerCode.values()];
    expect(counts.filter((c) => c >= 2).length / counts.length).toBeGreaterThan(0.4);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(3);

    const firmsPerCombo = new Map<string, Set<string>>();
    for (const r of rows) {
      const k = `${r.genericName}|${r.dosageForm}|${r.spec}`;
      const s = firmsPerCombo.get(k) ?? new Set<string>();
      s.add(r.manufacturer);
      firmsPerCombo.set(k, s);
    }
    for (const [k, firms] of firmsPerCombo) expect(firms.size, k).toBeGreaterThanOrEqual(2);
  });

  it("renewals are usually cheaper than the first award", () => {
    const first = new Map<string, number>();
    let cheaper = 0;
    let later = 0;
    for (const r of rows) {
      const p = first.get(r.nhsaCode);
      if (p === undefined) first.set(r.nhsaCode, minor(r.chosenPrice));
      else {
        later++;
        if (minor(r.chosenPrice) < p) cheaper++;
      }
    }
    expect(cheaper / later).toBeGreaterThan(0.6);
  });
});

describe("formatMinor", () => {
  it("prints ten-thousandths of a yuan as a plain decimal", () => {
    expect(formatMinor(36_000)).toBe("3.6");
    expect(formatMinor(1_568_000)).toBe("156.8");
    expect(formatMinor(500)).toBe("0.05");
    expect(formatMinor(946)).toBe("0.0946");
    expect(formatMinor(7_000_000)).toBe("700");
    expect(formatMinor(0)).toBe("0");
    expect(() => formatMinor(1.5)).toThrow(RangeError);
    expect(() => formatMinor(-1)).toThrow(RangeError);
  });
});
