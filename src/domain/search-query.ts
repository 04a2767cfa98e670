import { normalizeText } from "./names";

/**
 * Pure rules of pharmacist search: how typed text becomes terms, how a matched name ranks, and how
 * close a misspelt query is to a name. The services only fetch candidates and apply these.
 */

/**
 * Typed text as search terms: full-width folded, lower case, split on white space and brackets
 * (阿托伐他汀钙片（20mg） → 阿托伐他汀钙片, 20mg). `text` keeps the whole, brackets included, since
 * some names carry them (复方氨基酸注射液(18AA)).
 */
export function searchTerms(raw: string): { text: string; terms: string[] } {
  // Control characters (NUL above all) end an FTS5 string early; nobody types them on purpose.
  const text = normalizeText(raw.replace(/[\p{Cc}\p{Cs}]/gu, " "));
  return { text, terms: text.split(/[\s()[\]{}【】〔〕<>《》]+/).filter(Boolean) };
}

/** What a distinct generic name offers to be matched against. */
export type NameKeys = { term: string; nameEn: string | null; pinyin: string | null; initials: string | null };

/**
 * Relevance tier of a name for a query: 0 exact name or 拼音码, 1 prefix of a name field,
 * 2 substring of one; null when no name field contains the query. Lower is better. Firms and codes
 * rank below every name (tier 3, see OTHER_FIELDS_TIER).
 */
export function nameTier(query: string, keys: NameKeys): 0 | 1 | 2 | null {
  const q = query.trim();
  if (!q) return null;
  const compact = q.replace(/ /g, "");
  const fields: string[] = [keys.term];
  if (keys.nameEn) fields.push(keys.nameEn);
  const latin = [keys.pinyin, keys.initials].filter((x): x is string => Boolean(x));
  if (keys.term === q || keys.initials === compact || keys.pinyin === compact || keys.nameEn === q) return 0;
  if (fields.some((f) => f.startsWith(q)) || latin.some((f) => f.startsWith(compact))) return 1;
  if (fields.some((f) => f.includes(q)) || latin.some((f) => f.includes(compact))) return 2;
  return null;
}

export const OTHER_FIELDS_TIER = 3;

/** Levenshtein distance over code points (a Chinese character counts as one edit). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

/**
 * How far a query is from its best-matching stretch of a name: the fewest edits turning the query
 * into some substring of the name (approximate substring matching). 阿托发他汀 is 1 away from
 * 阿托伐他汀钙片, 伐他丁 is 1 away from it too.
 */
export function fragmentEditDistance(query: string, name: string, max = Number.POSITIVE_INFINITY): number {
  return fragmentDistanceFrom(query, max)(name);
}

const codePoints = (text: string) => Uint32Array.from(text, (c) => c.codePointAt(0) ?? 0);

/**
 * fragmentEditDistance from one query to many names (did-you-mean measures up to 50 candidates × 3
 * fields). A query of up to 31 characters uses Myers' bit-parallel form of the same recurrence (one
 * machine word per column of the table instead of one cell per character); longer ones the table.
 */
export function fragmentDistanceFrom(query: string, max = Number.POSITIVE_INFINITY): (name: string) => number {
  const q = codePoints(query);
  if (q.length === 0) return () => 0;
  if (q.length > 31) return (name) => fragmentDistanceTable(q, codePoints(name), max);
  const m = q.length;
  const mask = m === 31 ? 0x7fffffff : (1 << m) - 1;
  const high = 1 << (m - 1);
  // Bit i of peq[c] is set where the query's i-th character is c.
  const peq = new Map<number, number>();
  q.forEach((c, i) => peq.set(c, (peq.get(c) ?? 0) | (1 << i)));
  return (name) => {
    let pv = mask;
    let mv = 0;
    let score = m;
    let best = m;
    for (const ch of name) {
      const eq = peq.get(ch.codePointAt(0) ?? 0) ?? 0;
      const xv = eq | mv;
      const xh = ((((eq & pv) + pv) & mask) ^ pv) | eq;
      let ph = mv | (~(xh | pv) & mask);
      let mh = pv & xh;
      if (ph & high) score++;
      else if (mh & high) score--;
      // The first row is all zeros (a match may start anywhere), so nothing enters at the bottom.
      ph = (ph << 1) & mask;
      mh = (mh << 1) & mask;
      pv = mh | (~(xv | ph) & mask);
      mv = ph & xv;
      if (score < best) best = score;
    }
    return best > max ? max + 1 : best;
  };
}

/** The table form: row 0 all zeros (start anywhere), the minimum of the last row (end anywhere). */
function fragmentDistanceTable(q: Uint32Array, n: Uint32Array, max: number): number {
  let prev = new Uint32Array(n.length + 1);
  let cur = new Uint32Array(n.length + 1);
  for (let i = 1; i <= q.length; i++) {
    const qc = q[i - 1];
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (qc === n[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j] ?? 0);
    }
    // A row's minimum never falls in later rows: past `max`, the answer is only "over it".
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return Math.min(...prev);
}

/** Edits a query may be away from a name before it stops being a plausible misspelling. */
export function typoBudget(query: string): number {
  return Math.max(1, Math.floor([...query].length / 3));
}
