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
// reduce, not Math.min(...xs): a synthetic group can hold more entries than a call takes arguments.
const minOf = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => Math.min(b, a)) : null);
const maxOf = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => Math.max(b, a)) : null);

/** A bid with a price that counts: chosen, or losing at or under the ceiling (when one is known). */
const validOffer = (e: BidEntry, ceiling: number | null) => e.unitPriceE4 !== null && (e.chosen || ceiling === null || e.unitPriceE4 <= ceiling);

function position(entries: readonly BidEntry[], highestChosen: number, ceiling: number | null): ChosenPosition {
  const priced = entries.filter((e) => validOffer(e, ceiling));
  const lowest = minOf(priced.map((e) => e.unitPriceE4!))!;
  return {
    highestChosenRank: 1 + priced.filter((e) => e.unitPriceE4! < highestChosen).length,
    pricedBids: priced.length,
    highestChosenToLowestBid: lowest > 0 ? roundFraction(fraction(BigInt(highestChosen), BigInt(lowest)), 2) : null,
    highestChosenPctOfCeiling: ceiling !== null && ceiling > 0 ? roundFraction(fraction(BigInt(highestChosen) * 100n, BigInt(ceiling)), 2) : null,
    losingBelowHighestChosen: priced.filter((e) => !e.chosen && e.unitPriceE4! < highestChosen).length,
  };
}

/** The landscape of one group's entries (all of the same bidGroupKey). */
export function bidGroup(entries: readonly BidEntry[]): BidGroup {
  const first = entries[0];
  if (!first) throw new RangeError("a bid group needs at least one entry");
  // The batch has one ceiling per group; when rows disagree, the highest is the one every bid was under.
  const ceiling = maxOf(entries.map((e) => e.ceilingUnitPriceE4 ?? null).filter((c): c is number => c !== null));
  const prices = (pred: (e: BidEntry) => boolean) => entries.filter((e) => pred(e) && validOffer(e, ceiling)).map((e) => e.unitPriceE4!);
  const all = prices(() => true);
  const chosenPrices = prices((e) => e.chosen);
  const highestChosen = maxOf(chosenPrices);
  const unpriced = entries.filter((e) => e.unitPriceE4 === null).length;
  const chosenEntries = entries.filter((e) => e.chosen);
  const chosenFirms = [...chosenEntries]
    .sort((a, b) => (a.unitPriceE4 ?? Infinity) - (b.unitPriceE4 ?? Infinity))
    .map((e) => e.firmLabel?.trim() || firmOf(e))
    .filter((f): f is string => f !== null);
  return {
    genericName: first.genericName,
    dosageForm: first.dosageForm,
    spec: first.spec,
    strengthNormalized: normalizeStrength(first.spec),
    firms: new Set(entries.map(firmOf).filter((f) => f !== null)).size,
    chosenFirms: [...new Set(chosenFirms)].slice(0, CHOSEN_FIRMS_LISTED),
    bids: entries.length,
    chosen: chosenEntries.length,
    losing: entries.length - chosenEntries.length,
    unpriced,
    overCeiling: entries.length - unpriced - all.length,
    lowestBid: yuan(minOf(all)),
    highestBid: yuan(maxOf(all)),
    lowestChosen: yuan(minOf(chosenPrices)),
    highestChosen: yuan(highestChosen),
    lowestLosing: yuan(minOf(prices((e) => !e.chosen))),
    ceilingUnitPrice: yuan(ceiling),
    position: highestChosen === null ? null : position(entries, highestChosen, ceiling),
  };
}

/**
 * A batch's bid landscape from its chosen prices and losing bids: how many firms bid, how many were
 * chosen, and per generic name, form and strength the lowest and highest bids and where the chosen
 * prices sit. Groups in name, form and strength order.
 */
export function bidLandscape(entries: readonly BidEntry[]): BidLandscape {
  const groups = new Map<string, BidEntry[]>();
  for (const e of entries) {
    const key = bidGroupKey(e);
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const keys = [...groups.keys()].sort();
  const items = keys.map((k) => bidGroup(groups.get(k)!));
  const chosen = entries.filter((e) => e.chosen);
  const distinctFirms = (xs: readonly BidEntry[]) => new Set(xs.map(firmOf).filter((f) => f !== null)).size;
  return {
    losingBidsKnown: chosen.length < entries.length,
    groups: keys.length,
    firms: distinctFirms(entries),
    chosenFirms: distinctFirms(chosen),
    bids: entries.length,
    chosen: chosen.length,
    losing: entries.length - chosen.length,
    unpriced: entries.filter((e) => e.unitPriceE4 === null).length,
    overCeiling: items.reduce((n, g) => n + g.overCeiling, 0),
    items,
  };
}
