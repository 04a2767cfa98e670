import type { Category, Level, ReferenceKind } from "../db/schema";
import { divRoundHalfAway, formatYuan, priceText, yuanToE4 } from "../domain";
import { packageName, unitName } from "../domain/units";

/*
 * How figures read on the pages. The numbers arrive already computed and rounded by src/domain
 * (prices to 4 places, money to 2, percents to 2); these helpers only lay them out for a reader.
 */

/** A price in yuan with at least 2 and at most 4 decimals: 3.6 → "3.60", 0.0946 → "0.0946". */
export function price(yuan: number | null | undefined): string {
  return yuan === null || yuan === undefined ? "—" : priceText(yuan);
}

/** A money total to 2 places with thousands separators: 1234567.5 → "1,234,567.50". */
export function money(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return "—";
  const [whole = "0", frac = "00"] = formatYuan(yuanToE4(yuan), 2).split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  return `${negative ? "-" : ""}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac.padEnd(2, "0")}`;
}

/** A large money total in 万元 or 亿元 when it reads better that way (bureaus report 节约 9322万元). */
export function moneyShort(yuan: number): string {
  return moneyScale([yuan])(yuan);
}

export type MoneyUnit = { label: "元" | "万元" | "亿元"; divisor: bigint };

/** The unit a set of amounts reads best in, chosen by the largest: 亿元 from 10⁸ 元, 万元 from 10⁵ 元, else 元. */
export function moneyUnitFor(values: number[]): MoneyUnit {
  const largest = Math.max(0, ...values.map((v) => Math.abs(v)));
  if (largest >= 100_000_000) return { label: "亿元", divisor: 100_000_000n };
  if (largest >= 100_000) return { label: "万元", divisor: 10_000n };
  return { label: "元", divisor: 1n };
}

/** An amount in a given unit, 2 decimals, no unit text (for table cells whose header names the unit). */
export function moneyIn(unit: MoneyUnit, yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return "—";
  if (unit.divisor === 1n) return money(yuan);
  // yuan in e4 divided by the unit is the amount in e4 of that unit, rounded half away from zero like every other figure.
  const scaledE4 = divRoundHalfAway(yuanToE4(yuan), unit.divisor);
  return money(Number(formatYuan(scaledE4, 2)));
}

/**
 * One unit for every figure of a chart, column or view, chosen by the largest, so figures beside
 * each other read in the same unit.
 */
export function moneyScale(values: number[]): (yuan: number) => string {
  const unit = moneyUnitFor(values);
  return (yuan) => `${moneyIn(unit, yuan)} ${unit.label}`;
}

/**
 * Prices of one column with the same number of decimals (2 to 4: as many as the most precise
 * needs), so their decimal points line up: [3.6, 0.0946] → "3.6000", "0.0946".
 */
export function priceColumn(values: Array<number | null | undefined>): (yuan: number | null | undefined) => string {
  const places = Math.max(2, ...values.map((v) => (v === null || v === undefined ? 0 : (price(v).split(".")[1] ?? "").length)));
  return (yuan) => {
    if (yuan === null || yuan === undefined) return "—";
    const [whole, frac = ""] = price(yuan).split(".");
    return `${whole}.${frac.padEnd(places, "0")}`;
  };
}

/** A percent already rounded to 2 places: 97.7 → "97.70 %". */
export function pct(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return `${value.toFixed(2)} %`;
}

/** An integer count with thousands separators. */
export function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return n.toLocaleString("en-US");
}

export const LEVEL_LABELS: Record<Level, string> = {
  national: "国家组织",
  alliance: "省际联盟",
  provincial: "省级",
  municipal: "市级",
};

export const CATEGORY_LABELS: Record<Category, string> = {
  drug: "药品",
  device: "医用耗材",
};

export const REFERENCE_KIND_LABELS: Record<ReferenceKind, string> = {
  ceiling: "最高有效申报价",
  pre_vbp: "集采前价格",
};

export const SORT_LABELS = {
  relevance: "相关度",
  discount: "降幅从低到高",
  "-discount": "降幅从高到低",
  unitPrice: "单价从低到高",
  "-unitPrice": "单价从高到低",
} as const;

/** "7片/盒" from what the product knows of its package. */
export function packageLabel(p: { packageText: string | null; packageQty: number | null; smallestUnit: string | null; packageUnit: string | null }): string {
  if (p.packageText) return p.packageText;
  if (p.packageQty) return `${p.packageQty}${p.smallestUnit ?? ""}/${packageName(p)}`;
  return p.packageUnit ? `每${p.packageUnit}` : "—";
}

export { packageName, unitName };

/** Region names for a table cell: nationwide, or the first few and how many more. */
export function regionsLabel(regions: Array<{ name: string }>, nationwide: boolean, max = 3): string {
  if (nationwide) return "全国";
  const shown = regions
    .slice(0, max)
    .map((r) => r.name)
    .join("、");
  return regions.length > max ? `${shown} 等 ${regions.length} 地` : shown;
}
