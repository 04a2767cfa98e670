/** Endings that people leave off a province or city name: 内蒙古 for 内蒙古自治区, 上海 for 上海市. */
const SUFFIXES = ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"];

/**
 * Maps what a file may write for a region to its code: the GB/T 2260 code itself, the full name,
 * and the name without its administrative ending when that short form is not ambiguous.
 */
export function regionLookup(regions: ReadonlyArray<{ code: string; name: string }>): Map<string, string> {
  const lookup = new Map<string, string>();
  const short = new Map<string, string | null>();
  for (const { code, name } of regions) {
    lookup.set(code, code);
    lookup.set(name.normalize("NFKC"), code);
    const suffix = SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length + 1);
    if (suffix) {
      const bare = name.slice(0, -suffix.length);
      short.set(bare, short.has(bare) && short.get(bare) !== code ? null : code);
    }
  }
  for (const [bare, code] of short) if (code !== null && !lookup.has(bare)) lookup.set(bare, code);
  for (const [alias, name] of Object.entries(ALIASES)) {
    const code = lookup.get(name);
    if (code !== undefined && !lookup.has(alias)) lookup.set(alias, code);
  }
  return lookup;
}

/** Names tables use that no rule above derives. */
const ALIASES: Record<string, string> = {
  兵团: "新疆生产建设兵团",
  新疆兵团: "新疆生产建设兵团",
  建设兵团: "新疆生产建设兵团",
  生产建设兵团: "新疆生产建设兵团",
};
