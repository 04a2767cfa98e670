import { fraction, roundFraction } from "./fraction.js";
import { storedE4ToYuan } from "./money.js";
import { normalizeStrength } from "./strength.js";

/**
 * One offer in a batch: a chosen price (the firm won at its bid) or a losing bid (是否中标 = 否).
 * Prices are per smallest unit (per package when the package size is unknown), in stored e4.
 */
export type BidEntry = {
  genericName: string;
  dosageForm: string | null;
  spec: string | null;
  /** The firm's full name (counted by its trimmed text); empty or null names are not counted as firms. */
  firm: string | null;
  /** What the landscape names the firm by: its short name when the file gave one. */
  firmLabel?: string | null;
  chosen: boolean;
  /** Null for a withdrawn or failed bid (流标): it counts as a bid, not in the lowest and highest. */
  unitPriceE4: number | null;
  ceilingUnitPriceE4?: number | null;
};

/** Where the dearest chosen price sits among the priced bids of its group. */
export type ChosenPosition = {
  /** 1 = the cheapest bid; ties share a rank (1 + bids strictly cheaper). */
  highestChosenRank: number;
  pricedBids: number;
  /** Dearest chosen ÷ cheapest bid, 2 places (national rules choose bids up to 1.8× the lowest). */
  highestChosenToLowestBid: number | null;
  /** Dearest chosen as a percent of the ceiling, 2 places; null without a ceiling. */
  highestChosenPctOfCeiling: number | null;
  /** Losing bids cheaper than the dearest chosen one (usually 0: a cheaper loser was disqualified or failed another rule). */
  losingBelowHighestChosen: number;
};

/** The bids of one generic name, dosage form and strength in one batch. */
export type BidGroup = {
  genericName: string;
  dosageForm: string | null;
  /** The strength as first written in the batch; grouping uses its normalised form. */
  spec: string | null;
  strengthNormalized: string | null;
  firms: number;
  /** Chosen firms, cheapest first (at most CHOSEN_FIRMS_LISTED; `chosen` counts them all). */
  chosenFirms: string[];
  bids: number;
  chosen: number;
  losing: number;
  /** Bids without a price (withdrawn, 流标). */
  unpriced: number;
  /**
   * Losing bids above the group's ceiling: not valid offers under the rules (a bid over 最高有效申报价
   * is disqualified), and published tables write 99999 for them. Counted, never the highest bid.
   */
  overCeiling: number;
  lowestBid: number | null;
  highestBid: number | null;
  lowestChosen: number | null;
  highestChosen: number | null;
  lowestLosing: number | null;
  ceilingUnitPrice: number | null;
  position: ChosenPosition | null;
};

/** A batch's bid landscape: totals over its groups, and each group. */
export type BidLandscape = {
  /** False when no losing bid is stored for the batch: then every count below is of chosen prices only. */
  losingBidsKnown: boolean;
  groups: number;
  firms: number;
  chosenFirms: number;
  bids: number;
  chosen: number;
  losing: number;
  unpriced: number;
  overCeiling: number;
  items: BidGroup[];
};

export const CHOSEN_FIRMS_LISTED = 20;

/** The group a bid belongs to: same generic name, dosage form and normalised strength (10 mg = 10mg). */
export function bidGroupKey(e: Pick<BidEntry, "genericName" | "dosageForm" | "spec">): string {
  return JSON.stringify([e.genericName.trim(), e.dosageForm?.trim() ?? "", normalizeStrength(e.spec) ?? e.spec?.trim() ?? ""]);
}

const firmOf = (e: BidEntry) => e.firm?.trim() || null;
const yuan = (e4: number | null) => (e4 === null ? null : storedE4ToYuan(e4));

/**
 * One group's bids gathered one at a time: only what the landscape needs (prices, flags, firms),
 * not the entries, so a batch of 150,000 offers is never held whole. Whether a losing bid counts
 * depends on the group's ceiling, known only at the end, hence the prices are kept until then.
 */
class BidGroupBuilder {
  private readonly first: Pick<BidEntry, "genericName" | "dosageForm" | "spec">;
  private ceiling: number | null = null;
  /** Unit prices of the priced bids, and whether each was chosen (same index). */
  private readonly prices: number[] = [];
  private readonly chosenFlags: boolean[] = [];
  private readonly firms = new Set<string>();
  /** Per chosen firm's label: its cheapest chosen price (Infinity without one) and the order it came in. */
  private readonly labels = new Map<string, { price: number; order: number }>();
  private bids = 0;
  private chosen = 0;
  private unpriced = 0;

  constructor(first: BidEntry) {
    this.first = { genericName: first.genericName, dosageForm: first.dosageForm, spec: first.spec };
  }

  add(e: BidEntry): void {
    this.bids++;
    // The batch has one ceiling per group; when rows disagree, the highest is the one every bid was under.
    const c = e.ceilingUnitPriceE4 ?? null;
    if (c !== null && (this.ceiling === null || c > this.ceiling)) this.ceiling = c;
    const firm = firmOf(e);
    if (firm !== null) this.firms.add(firm);
    if (e.unitPriceE4 === null) this.unpriced++;
    else {
      this.prices.push(e.unitPriceE4);
      this.chosenFlags.push(e.chosen);
    }
    if (!e.chosen) return;
    const order = this.chosen++;
    const label = e.firmLabel?.trim() || firm;
    if (label === null) return;
    // Chosen firms are listed cheapest first, ties in the order they came: a label's first place is its cheapest.
    const price = e.unitPriceE4 ?? Infinity;
    const seen = this.labels.get(label);
    if (!seen || price < seen.price) this.labels.set(label, { price, order });
  }

  result(): BidGroup {
    const { ceiling, prices, chosenFlags } = this;
    // A bid with a price that counts: chosen, or losing at or under the ceiling (when one is known).
    const valid = (i: number) => chosenFlags[i] || ceiling === null || prices[i]! <= ceiling;
    let validCount = 0;
    let lowest: number | null = null;
    let highest: number | null = null;
    let lowestChosen: number | null = null;
    let highestChosen: number | null = null;
    let lowestLosing: number | null = null;
    for (let i = 0; i < prices.length; i++) {
      if (!valid(i)) continue;
      const v = prices[i]!;
      validCount++;
      lowest = lowest === null ? v : Math.min(lowest, v);
      highest = highest === null ? v : Math.max(highest, v);
      if (chosenFlags[i]) {
        lowestChosen = lowestChosen === null ? v : Math.min(lowestChosen, v);
        highestChosen = highestChosen === null ? v : Math.max(highestChosen, v);
      } else lowestLosing = lowestLosing === null ? v : Math.min(lowestLosing, v);
    }
    const chosenFirms = [...this.labels]
      .sort(([, a], [, b]) => (a.price === b.price ? a.order - b.order : a.price - b.price))
      .slice(0, CHOSEN_FIRMS_LISTED)
      .map(([label]) => label);
    return {
      genericName: this.first.genericName,
      dosageForm: this.first.dosageForm,
      spec: this.first.spec,
      strengthNormalized: normalizeStrength(this.first.spec),
      firms: this.firms.size,
      chosenFirms,
      bids: this.bids,
      chosen: this.chosen,
      losing: this.bids - this.chosen,
      unpriced: this.unpriced,
      overCeiling: this.bids - this.unpriced - validCount,
      lowestBid: yuan(lowest),
      highestBid: yuan(highest),
      lowestChosen: yuan(lowestChosen),
      highestChosen: yuan(highestChosen),
      lowestLosing: yuan(lowestLosing),
      ceilingUnitPrice: yuan(ceiling),
      position: highestChosen === null ? null : this.position(valid, validCount, lowest!, highestChosen),
    };
  }

  private position(valid: (i: number) => boolean, pricedBids: number, lowest: number, highestChosen: number): ChosenPosition {
    const { ceiling, prices, chosenFlags } = this;
    let cheaper = 0;
    let cheaperLosing = 0;
    for (let i = 0; i < prices.length; i++) {
      if (!valid(i) || prices[i]! >= highestChosen) continue;
      cheaper++;
      if (!chosenFlags[i]) cheaperLosing++;
    }
    return {
      highestChosenRank: 1 + cheaper,
      pricedBids,
      highestChosenToLowestBid: lowest > 0 ? roundFraction(fraction(BigInt(highestChosen), BigInt(lowest)), 2) : null,
      highestChosenPctOfCeiling: ceiling !== null && ceiling > 0 ? roundFraction(fraction(BigInt(highestChosen) * 100n, BigInt(ceiling)), 2) : null,
      losingBelowHighestChosen: cheaperLosing,
    };
  }
}

/** The landscape of one group's entries (all of the same bidGroupKey). */
export function bidGroup(entries: readonly BidEntry[]): BidGroup {
  const first = entries[0];
  if (!first) throw new RangeError("a bid group needs at least one entry");
  const group = new BidGroupBuilder(first);
  for (const e of entries) group.add(e);
  return group.result();
}

/**
 * A batch's bid landscape gathered one offer at a time (see BidGroupBuilder): the service reads a
 * batch's offers in pages and never holds them all. The result does not depend on how the offers
 * were paged, only on their order (a group's strength as first written, ties among chosen firms).
 */
export class BidLandscapeBuilder {
  private readonly groups = new Map<string, BidGroupBuilder>();
  private readonly firms = new Set<string>();
  private readonly chosenFirms = new Set<string>();
  private bids = 0;
  private chosen = 0;
  private unpriced = 0;

  add(e: BidEntry): void {
    const key = bidGroupKey(e);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new BidGroupBuilder(e)));
    group.add(e);
    this.bids++;
    if (e.unitPriceE4 === null) this.unpriced++;
    const firm = firmOf(e);
    if (e.chosen) this.chosen++;
    if (firm === null) return;
    this.firms.add(firm);
    if (e.chosen) this.chosenFirms.add(firm);
  }

  result(): BidLandscape {
    const keys = [...this.groups.keys()].sort();
    const items = keys.map((k) => this.groups.get(k)!.result());
    return {
      losingBidsKnown: this.chosen < this.bids,
      groups: keys.length,
      firms: this.firms.size,
      chosenFirms: this.chosenFirms.size,
      bids: this.bids,
      chosen: this.chosen,
      losing: this.bids - this.chosen,
      unpriced: this.unpriced,
      overCeiling: items.reduce((n, g) => n + g.overCeiling, 0),
      items,
    };
  }
}

/**
 * A batch's bid landscape from its chosen prices and losing bids: how many firms bid, how many were
 * chosen, and per generic name, form and strength the lowest and highest bids and where the chosen
 * prices sit. Groups in name, form and strength order.
 */
export function bidLandscape(entries: readonly BidEntry[]): BidLandscape {
  const builder = new BidLandscapeBuilder();
  for (const e of entries) builder.add(e);
  return builder.result();
}
