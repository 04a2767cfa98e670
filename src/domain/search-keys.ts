import { normalizeText } from "./names";
import { PINYIN_OVERRIDES } from "./pinyin-overrides";

export type SearchKeys = { nameNorm: string; namePinyin: string; nameInitials: string };

/** Turns a generic name into the keys a pharmacist can type. */
export type SearchKeysOf = (genericName: string) => SearchKeys;

// Hospital systems type ü as v (绿 → lv), as most Chinese input methods do.
const keepAlnum = (s: string) => s.replace(/ü/g, "v").replace(/[^a-z0-9]/g, "");

let loaded: Promise<SearchKeysOf> | null = null;

/**
 * The search keys of names, once pinyin-pro is loaded: its dictionaries take ~18 MB of a thread's
 * memory, and only an import of prices needs them, so a server's threads load them on the first
 * such import (on Node, the import thread), not when they start.
 */
export function loadSearchKeys(): Promise<SearchKeysOf> {
  loaded ??= import("pinyin-pro").then(({ customPinyin, pinyin }) => {
    customPinyin(PINYIN_OVERRIDES);
    const options = { toneType: "none", type: "array", nonZh: "consecutive" } as const;
    /** Keys a pharmacist can type: the normalized name, its full pinyin and its initials (拼音码). */
    return (genericName: string): SearchKeys => {
      const nameNorm = normalizeText(genericName);
      return {
        nameNorm,
        namePinyin: keepAlnum(pinyin(nameNorm, options).join("")),
        nameInitials: keepAlnum(pinyin(nameNorm, { ...options, pattern: "first" }).join("")),
      };
    };
  });
  return loaded;
}
