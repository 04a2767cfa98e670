import { type Fraction, multiplyFractions, numberToFraction } from "./fraction.js";
import { fractionE4ToYuan } from "./money.js";

/**
 * Monthly therapy cost (每月药费) in yuan to 2 places: unitPrice × unitsPerDay × days.
 * unitsPerDay may be fractional (half a tablet a day is 0.5) and is taken as its decimal value.
 * Throws RangeError on negative or non-finite unitsPerDay or days.
 */
export function monthlyTherapyCost(unitPriceE4: Fraction, unitsPerDay = 1, days = 30): number {
  for (const [name, value] of [
    ["unitsPerDay", unitsPerDay],
    ["days", days],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${name} must be a non-negative finite number, got ${value}`);
    }
  }
  const perDay = multiplyFractions(unitPriceE4, numberToFraction(unitsPerDay));
  return fractionE4ToYuan(multiplyFractions(perDay, numberToFraction(days)), 2);
}

/** Why a therapy cost is or is not given, in the words a pharmacist reads. */
export type TherapyCost =
  | { monthlyCost: number; unitsPerDay: number; unitsPerDaySource: "given" | "ddd" | "default"; note: string | null }
  | { monthlyCost: null; unitsPerDay: null; unitsPerDaySource: null; note: string };

/**
 * 每月药费 of a chosen price, or the reason there is none: only drugs have one (a stent is not
 * taken daily), and only per smallest unit (when the package size is unknown, a price per box
 * says nothing about a day). Units per day: as given; else from the product's defined daily dose
 * (DDD, in smallest units a day) when it has one; else 1, and the note says it was assumed.
 */
export function therapyCost(input: {
  category: "drug" | "device";
  chosenPriceE4: bigint;
  packageQty: number | null;
  unitsPerDay?: number;
  dddUnitsPerDay?: number | null;
  /** Which DDD gave dddUnitsPerDay, named in the note (dddUnitsPerDay in src/domain/ddd.ts). */
  ddd?: { inn: string; atc: string; mg: number; name?: string } | null;
}): TherapyCost {
  if (input.category !== "drug") return { monthlyCost: null, unitsPerDay: null, unitsPerDaySource: null, note: "医用耗材不按日服用，没有每月药费" };
  if (input.packageQty === null || input.packageQty <= 0) {
    return { monthlyCost: null, unitsPerDay: null, unitsPerDaySource: null, note: "包装转换比（每盒最小单位数）未知，无法按最小单位算出每月药费" };
  }
  const unit = { num: input.chosenPriceE4, den: BigInt(input.packageQty) };
  if (input.unitsPerDay !== undefined)
    return { monthlyCost: monthlyTherapyCost(unit, input.unitsPerDay), unitsPerDay: input.unitsPerDay, unitsPerDaySource: "given", note: null };
  if (input.dddUnitsPerDay != null && input.dddUnitsPerDay > 0) {
    // The substance by its Chinese name where known, with the WHO's INN the DDD is listed under.
    const substance = input.ddd?.name ? `${input.ddd.name}（${input.ddd.inn}）` : `${input.ddd?.inn} `;
    const which = input.ddd ? `：${substance}${input.ddd.mg} mg/日（WHO ATC ${input.ddd.atc}），即每日 ${input.dddUnitsPerDay} 个最小单位` : "";
    return {
      monthlyCost: monthlyTherapyCost(unit, input.dddUnitsPerDay),
      unitsPerDay: input.dddUnitsPerDay,
      unitsPerDaySource: "ddd",
      note: `按限定日剂量（DDD）计${which}`,
    };
  }
  return {
    monthlyCost: monthlyTherapyCost(unit, 1),
    unitsPerDay: 1,
    unitsPerDaySource: "default",
    note: "按每日 1 个最小单位估算（未给出每日用量，也没有限定日剂量 DDD）",
  };
}
