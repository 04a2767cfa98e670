import { packText, parsePackageText } from "./package-text";

export type SpecPackage = { spec: string | null; packageQty: number | null; smallestUnit: string | null; packageUnit: string | null };

/**
 * Reads 规格包装 / 中选规格包装 as tables write it: strength, then the count per package after a
 * `*` or `×`: `20mg*7`, `0.25g*60片`, `(150mg+12.5mg)*14`, `50mg/5ml*5`, `10mg*7片*2板`. Without a
 * count (`10mg`) it is the strength alone.
 */
export function parseSpecPackage(raw: string): SpecPackage {
  const text = packText(raw);
  const star = text.indexOf("*");
  if (star < 0) return { spec: text || null, packageQty: null, smallestUnit: null, packageUnit: null };
  const spec = text.slice(0, star).replace(/^\((.*)\)$/, "$1") || null;
  const rest = text.slice(star + 1);
  const counted = parsePackageText(rest.replace(/^(\d+)(\*|\/|$)/, "$1个$2"));
  if (!counted) return { spec, packageQty: null, smallestUnit: null, packageUnit: null };
  // `20mg*7` names no unit: the 个 above only let the package parser count it.
  const smallestUnit = counted.smallestUnit === "个" && !/^\d+个/.test(rest) ? null : counted.smallestUnit;
  return { spec, packageQty: counted.packageQty, smallestUnit, packageUnit: counted.packageUnit };
}
