import type { Category, Level, ReferenceKind, RegionLevel } from "../../db/schema";

export const CATEGORY_VALUES: Readonly<Record<string, Category>> = {
  drug: "drug",
  device: "device",
  药品: "drug",
  药: "drug",
  耗材: "device",
  医用耗材: "device",
  高值医用耗材: "device",
};

export const LEVEL_VALUES: Readonly<Record<string, Level>> = {
  national: "national",
  alliance: "alliance",
  provincial: "provincial",
  municipal: "municipal",
  国家组织: "national",
  国家: "national",
  省际联盟: "alliance",
  联盟: "alliance",
  省级: "provincial",
  市级: "municipal",
};

export const REFERENCE_KIND_VALUES: Readonly<Record<string, ReferenceKind>> = {
  ceiling: "ceiling",
  pre_vbp: "pre_vbp",
  最高有效申报价: "ceiling",
  集采前价格: "pre_vbp",
  原价: "pre_vbp",
};

export const REGION_LEVEL_VALUES: Readonly<Record<string, RegionLevel>> = {
  province: "province",
  city: "city",
  pooling: "pooling",
  省: "province",
  市: "city",
  统筹区: "pooling",
};

/** Separators DOMAIN.md lists for supply regions: 、 , ， ; ； */
export function splitList(raw: string): string[] {
  return raw
    .split(/[、,，;；]/)
    .map((s) => s.normalize("NFKC").trim())
    .filter((s) => s !== "");
}
