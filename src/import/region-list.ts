/**
 * One reader of region cells for every kind (supply regions of prices, the region of a volume),
 * accepting what published tables write: names separated by ， 、 , ; ； or line breaks or spaces,
 * stray spaces inside a name (`湖 北`), codes, full and short names, and `新疆（含兵团）`, which
 * means 新疆 and the 新疆生产建设兵团 (a purchaser of its own in national procurement).
 */
export type RegionList = { codes: string[]; unknown: string[] };

const SEPARATORS = /[、,，;；\r\n]+/;

export function readRegionList(raw: string, lookup: ReadonlyMap<string, string>): RegionList {
  const codes: string[] = [];
  const unknown: string[] = [];
  const add = (code: string) => {
    if (!codes.includes(code)) codes.push(code);
  };
  // A cell wrapped by hand keeps `新疆↵（含兵团）` together: the bracket belongs to the name before it.
  const text = raw.normalize("NFKC").replace(/\s+(?=\((?:含|包括|包含))/g, "");
  for (const piece of text.split(SEPARATORS)) {
    for (const name of expandIncluded(piece.trim())) {
      if (name === "") continue;
      const whole = resolveRegion(name, lookup);
      if (whole !== undefined) {
        add(whole);
        continue;
      }
      // Names separated by spaces, or one name with a stray space: take the longest known run.
      const tokens = name.split(/\s+/).filter(Boolean);
      for (let i = 0; i < tokens.length; ) {
        let found: { code: string; next: number } | null = null;
        for (let j = tokens.length; j > i; j--) {
          const code = resolveRegion(tokens.slice(i, j).join(""), lookup);
          if (code !== undefined) {
            found = { code, next: j };
            break;
          }
        }
        if (found) {
          add(found.code);
          i = found.next;
        } else {
          unknown.push(tokens[i]!);
          i++;
        }
      }
    }
  }
  return { codes, unknown };
}

/** One region cell: a code or a name, spaces inside ignored. */
export function resolveRegion(name: string, lookup: ReadonlyMap<string, string>): string | undefined {
  const text = name.normalize("NFKC").trim();
  return lookup.get(text) ?? lookup.get(text.replace(/\s+/g, ""));
}

/** `新疆(含兵团)` → 新疆, 兵团; `X(包括Y、Z)` likewise. */
function expandIncluded(name: string): string[] {
  const m = /^(.+?)\s*\((?:含|包括|包含)(.+)\)$/.exec(name);
  if (!m) return [name];
  return [m[1]!.trim(), ...m[2]!.split(/[、,，和及]/).map((s) => s.trim())];
}
