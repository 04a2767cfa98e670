/**
 * Invented manufacturers. Every name starts with 演示 ("demo") so nobody mistakes one for a real
 * firm; the parts combine into a few hundred distinct names.
 */

const WORDS = [
  "星河",
  "云岭",
  "青禾",
  "远山",
  "明湖",
  "长风",
  "松涛",
  "白鹭",
  "金穗",
  "银杉",
  "紫荆",
  "碧波",
  "丹霞",
  "晨曦",
  "翠竹",
  "海棠",
  "鹿鸣",
  "春晖",
  "北辰",
  "南屏",
] as const;
const DRUG_KINDS = ["制药有限公司", "药业有限公司", "生物制药有限公司", "药业股份有限公司", "医药科技有限公司"] as const;
const DEVICE_KINDS = ["医疗器械有限公司", "医疗科技有限公司", "生物材料有限公司"] as const;
const SUFFIXES = ["甲", "乙", "丙"] as const;

function combine(kinds: readonly string[]): readonly string[] {
  const out: string[] = [];
  for (const suffix of SUFFIXES) for (const kind of kinds) for (const word of WORDS) out.push(`演示${word}${kind}${suffix}`);
  return out;
}

/** 300 fictional drug makers, e.g. `演示星河制药有限公司甲`. */
export const SYNTHETIC_DRUG_FIRMS: readonly string[] = combine(DRUG_KINDS);
/** 180 fictional device makers, e.g. `演示星河医疗器械有限公司甲`. */
export const SYNTHETIC_DEVICE_FIRMS: readonly string[] = combine(DEVICE_KINDS);
