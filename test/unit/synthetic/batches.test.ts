import { describe, expect, it } from "vitest";
import { BATCH_COLUMNS, syntheticBatches } from "../../../src/synthetic/index.js";
import { readCsv, repoPath } from "./helpers.js";

const batches = syntheticBatches();
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

describe("syntheticBatches", () => {
  it("rows have exactly the batches.csv columns, in order", () => {
    expect([...BATCH_COLUMNS]).toEqual(readCsv(repoPath("seeds/batches.csv")).fields);
    for (const b of batches) expect(Object.keys(b)).toEqual([...BATCH_COLUMNS]);
  });

  it("are all marked synthetic, by id, name, flag and source", () => {
    expect(batches.length).toBeGreaterThanOrEqual(5);
    for (const b of batches) {
      expect(b.id).toMatch(/^synthetic-(drug|device)-\d+$/);
      expect(b.name).toContain("合成数据");
      expect(b.organizer).toContain("合成数据");
      expect(b.synthetic).toBe("true");
      expect(b.source).toBe("synthetic demo data (not real prices)");
      expect(b.publishedAvgDiscountPct).toBe(""); // nothing was ever published for them
    }
    expect(new Set(batches.map((b) => b.id)).size).toBe(batches.length);
  });

  it("never reuse a real batch id", () => {
    const real = new Set(readCsv(repoPath("seeds/batches.csv")).rows.map((r) => r.id));
    for (const b of batches) expect(real.has(b.id)).toBe(false);
  });

  it("cover national, alliance and provincial levels and both categories", () => {
    expect(new Set(batches.map((b) => b.level))).toEqual(new Set(["national", "alliance", "provincial"]));
    expect(new Set(batches.map((b) => b.category))).toEqual(new Set(["drug", "device"]));
    for (const b of batches) expect(b.regionScope === "全国").toBe(b.level === "national");
  });

  it("have ordered dates; as of 2026-06-01 some cycles are current and some have ended", () => {
    const today = "2026-06-01";
    for (const b of batches) {
      for (const d of [b.announced, b.cycleStart, b.cycleEnd]) expect(d).toMatch(DATE);
      expect(b.announced < b.cycleStart).toBe(true);
      expect(b.cycleStart < b.cycleEnd).toBe(true);
    }
    expect(batches.filter((b) => b.cycleEnd < today).length).toBeGreaterThanOrEqual(2);
    expect(batches.filter((b) => b.cycleStart <= today && today <= b.cycleEnd).length).toBeGreaterThanOrEqual(2);
  });

  it("is a fresh array each call (callers may mutate it)", () => {
    const a = syntheticBatches();
    a.pop();
    expect(syntheticBatches()).toEqual(batches);
  });
});
