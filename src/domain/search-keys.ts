import { pinyin } from "pinyin-pro";
import { normalizeText } from "./names";

export type SearchKeys = { nameNorm: string; namePinyin: string; nameInitials: string };

const keepAlnum = (s: string) => s.replace(/[^a-z0-9]/g, "");

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
