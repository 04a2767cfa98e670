/**
 * The bit of a supply region code in price_search.region_mask (kept by the triggers of
 * drizzle/0008_search_region_mask.sql, which this must match): (c1 * 7 + c2) % 53 for the code
 * points of its first two characters, c2 being the comma that follows a one-character code. For
 * GB/T 2260 codes that is one bit per province, none shared; bits stop at 52, so a mask is an exact
 * JavaScript number.
 */
export function regionBit(code: string): number | null {
  const [c1, c2 = ","] = Array.from(code);
  return c1 === undefined ? null : (cp(c1) * 7 + cp(c2)) % 53;
}

/** The mask of a set of codes. Two prices can supply regions in common only if their masks meet. */
export function regionMask(codes: Iterable<string>): bigint {
  let mask = 0n;
  for (const code of codes) {
    const bit = regionBit(code);
    if (bit !== null) mask |= 1n << BigInt(bit);
  }
  return mask;
}

const cp = (c: string) => c.codePointAt(0) ?? 0;
