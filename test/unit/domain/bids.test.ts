import { describe, expect, it } from "vitest";
import { type BidEntry, bidGroup, bidGroupKey, bidLandscape } from "../../../src/domain/bids.js";

const bid = (firm: string, unitPriceE4: number | null, chosen: boolean, spec = "10mg", ceiling: number | null = 100_000): BidEntry => ({
  genericName: "阿托伐他汀钙片",
  dosageForm: "片剂",
  spec,
  firm,
  chosen,
  unitPriceE4,
  ceilingUnitPriceE4: ceiling,
});

describe("bid landscape", () => {
  it("groups by generic name, form and normalised strength: 10 mg and 10mg bid against each other, 20mg apart", () => {
    expect(bidGroupKey(bid("a", 1, true, "10 mg"))).toBe(bidGroupKey(bid("b", 1, true, "10mg")));
    expect(bidGroupKey({ genericName: "x", dosageForm: null, spec: "0.5g" })).toBe(bidGroupKey({ genericName: "x", dosageForm: null, spec: "500mg" }));
    const l = bidLandscape([bid("甲", 10_000, true, "10 mg"), bid("乙", 12_000, false, "10mg"), bid("甲", 20_000, true, "20mg")]);
    expect(l.groups).toBe(2);
    expect(l.firms).toBe(2);
    expect(l.chosenFirms).toBe(1);
    expect(l.items.map((g) => [g.spec, g.bids])).toEqual([
      ["10 mg", 2],
      ["20mg", 1],
    ]);
  });

  it("a losing bid above the ceiling (99999 in published tables) is counted apart, never the highest bid or in the rank", () => {
    const g = bidGroup([bid("甲", 5_000, true), bid("乙", 9_000, false), bid("丙", 999_990_000, false), bid("丁", null, false)]);
    expect(g).toMatchObject({ bids: 4, losing: 3, unpriced: 1, overCeiling: 1, highestBid: 0.9, lowestLosing: 0.9 });
    expect(g.position).toMatchObject({ pricedBids: 2, highestChosenRank: 1 });
    expect(bidLandscape([bid("甲", 5_000, true), bid("丙", 999_990_000, false)]).overCeiling).toBe(1);
    // Without a known ceiling nothing is judged over it.
    expect(bidGroup([bid("甲", 5_000, true, "10mg", null), bid("丙", 999_990_000, false, "10mg", null)])).toMatchObject({ overCeiling: 0, highestBid: 99999 });
  });

  it("says where the dearest chosen bid sits: rank, multiple of the lowest bid, share of the ceiling, cheaper losers", () => {
    const g = bidGroup([bid("甲", 5_000, true), bid("乙", 9_000, true), bid("丙", 7_000, false), bid("丁", 30_000, false), bid("戊", null, false)]);
    expect(g).toMatchObject({
      firms: 5,
      bids: 5,
      chosen: 2,
      losing: 3,
      unpriced: 1,
      lowestBid: 0.5,
      highestBid: 3,
      lowestChosen: 0.5,
      highestChosen: 0.9,
      lowestLosing: 0.7,
      ceilingUnitPrice: 10,
      chosenFirms: ["甲", "乙"],
    });
    expect(g.position).toEqual({
      highestChosenRank: 3,
      pricedBids: 4,
      highestChosenToLowestBid: 1.8,
      highestChosenPctOfCeiling: 9,
      losingBelowHighestChosen: 1,
    });
  });

  it("a group nobody won (流标) has no position; a batch without stored losing bids says so", () => {
    expect(bidGroup([bid("甲", null, false)]).position).toBeNull();
    expect(bidLandscape([bid("甲", 1, true)]).losingBidsKnown).toBe(false);
    expect(bidLandscape([bid("甲", 1, true), bid("乙", 2, false)]).losingBidsKnown).toBe(true);
  });

  it("lists chosen firms cheapest first, each once at its cheapest chosen price, ties in the order they came, unpriced last", () => {
    const g = bidGroup([bid("甲", 30_000, true), bid("乙", 20_000, true), bid("丙", null, true), bid("甲", 10_000, true), bid("丁", 20_000, true)]);
    expect(g.chosenFirms).toEqual(["甲", "乙", "丁", "丙"]);
    expect(g).toMatchObject({ chosen: 5, firms: 4, lowestChosen: 1, highestChosen: 3 });
  });

  it("handles a group larger than a call takes arguments", () => {
    const many = Array.from({ length: 200_000 }, (_, i) => bid(`f${i % 50}`, 1_000 + (i % 997), i % 3 === 0));
    const g = bidGroup(many);
    expect(g.lowestBid).toBe(0.1);
    expect(g.highestBid).toBe(0.1996);
    expect(g.chosenFirms.length).toBeLessThanOrEqual(20);
  });
});
