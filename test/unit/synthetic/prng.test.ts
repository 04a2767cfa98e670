import { describe, expect, it } from "vitest";
import { fmix32, mulberry32, Rng } from "../../../src/synthetic/index.js";

describe("mulberry32", () => {
  it("is deterministic and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 10_000; i++) {
      const x = a();
      expect(b()).toBe(x);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it("matches the reference mulberry32 (changing it would change every generated file)", () => {
    const r = mulberry32(1);
    expect(r()).toBe(0.6270739405881613); // the value bryc's reference implementation gives for seed 1
    expect([r(), r()].map((x) => x * 2 ** 32)).toEqual([11749833, 2265367787]);
  });
});

describe("fmix32", () => {
  it("spreads neighbouring seeds apart", () => {
    const outs = [1, 2, 3, 4].map(fmix32);
    expect(new Set(outs).size).toBe(4);
    for (const o of outs) expect(o).toBeGreaterThan(0xffff);
  });
});

describe("Rng", () => {
  it("int covers both bounds and nothing outside", () => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("sampleIndexes returns k distinct ascending indexes", () => {
    const rng = new Rng(9);
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(0, 8);
      const s = rng.sampleIndexes(6, k);
      expect(s).toHaveLength(Math.min(k, 6));
      expect(new Set(s).size).toBe(s.length);
      expect([...s].sort((a, b) => a - b)).toEqual(s);
      for (const x of s) expect(x >= 0 && x < 6).toBe(true);
    }
  });

  it("logUniform stays in range", () => {
    const rng = new Rng(11);
    for (let i = 0; i < 5000; i++) {
      const x = rng.logUniform(0.05, 500);
      expect(x).toBeGreaterThanOrEqual(0.05);
      expect(x).toBeLessThan(500);
    }
  });

  it("rejects a non-integer seed", () => {
    expect(() => new Rng(1.5)).toThrow(RangeError);
  });
});
