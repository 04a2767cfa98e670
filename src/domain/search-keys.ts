import { customPinyin, pinyin } from "pinyin-pro";
import { normalizeText } from "./names";
import { PINYIN_OVERRIDES } from "./pinyin-overrides";

export type SearchKeys = { nameNorm: string; namePinyin: string; nameInitials: string };

customPinyin(PINYIN_OVERRIDES);

// Hospital systems type ü as v (绿 → lv), as most Chinese input methods do.
const keepAlnum = (s: string) => s.replace(/ü/g, "v").replace(/[^a-z0-9]/g, "");

/** Keys a pharmacist can type: the normalized name, its full pinyin and its initials (拼音码). */
export function searchKeys(genericName: string): SearchKeys {
  const nameNorm = normalizeText(genericName);
  const options = { toneType: "none", type: "array", nonZh: "consecutive" } as const;
  const full = pinyin(nameNorm, options);
  const initials = pinyin(nameNorm, { ...options, pattern: "first" });
  return {
    nameNorm,
    namePinyin: keepAlnum(full.join("")),
    nameInitials: keepAlnum(initials.join("")),
  };
}
