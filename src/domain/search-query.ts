import { normalizeText } from "./names";
import { joinAmounts } from "./strength";

/**
 * Pure rules of pharmacist search: how typed text becomes terms, how a matched name ranks, and how
 * close a misspelt query is to a name. The services only fetch candidates and apply these.
 */

/**
 * Typed text as search terms: full-width folded, lower case, split on white space and brackets
 * (阿托伐他汀钙片（20mg） → 阿托伐他汀钙片, 20mg), a number and its unit kept together (10 mg → 10mg). `text` keeps the whole, brackets included, since
 * some names carry them (复方氨基酸注射液(18AA)).
 */
export function searchTerms(raw: string): { text: string; terms: string[] } {
  // Control characters (NUL above all) end an FTS5 string early; nobody types them on purpose.
  // A number typed apart from its unit (阿托伐 10 mg) stays one word: 10mg.
  const text = joinAmounts(normalizeText(raw.replace(/[\p{Cc}\p{Cs}]/gu, " ")));
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

/**
 * How far a Latin query is from the start of a field: the fewest edits (a swap of two neighbouring
 * letters counting as one) turning it into some prefix of the field (atfttp is 1 from atftt,
 * atorvastain 1 from atorvastatin calcium). Unlike a stretch
 * anywhere in the field, a typo of a 拼音码 or an English name keeps its first letters, and an
 * infix of a pinyin is no word a pharmacist types: lipitor is 2 from the start of lipeitong
 * (利培酮), which a 7-letter typo budget of 1 rules out.
 */
export function prefixEditDistance(query: string, field: string, max = Number.POSITIVE_INFINITY): number {
  const q = [...query];
  const f = [...field];
  let before: number[] = [];
  let prev = Array.from({ length: f.length + 1 }, (_, j) => j);
  let prevMin = 0;
  for (let i = 1; i <= q.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= f.length; j++) {
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (q[i - 1] === f[j - 1] ? 0 : 1));
      // Two letters typed the wrong way round (calcuim) are one slip, not two.
      if (i > 1 && j > 1 && q[i - 1] === f[j - 2] && q[i - 2] === f[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      cur[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    // A later row reaches back at most two rows (a swap): when both are past max, so is the answer.
    if (rowMin > max && prevMin > max) return max + 1;
    prevMin = rowMin;
    before = prev;
    prev = cur;
  }
  const best = Math.min(...prev);
  return best > max ? max + 1 : best;
}

const HAN = /\p{Script=Han}/u;
const LATIN_ONLY = /^[a-z0-9 .,'+-]*[a-z][a-z0-9 .,'+-]*$/;

/**
 * What a misspelt query is compared with, in its own script: Chinese characters with Chinese names
 * (its non-Chinese words, a strength say, left out: 阿托发他汀 10mg → 阿托发他汀), Latin letters with
 * 拼音码, pinyin and English names. Null for anything else (digits alone, symbols, mixed scripts
 * inside one word), which is no misspelling of a name. `budget` is the most edits a suggestion may
 * be away: a third of a Chinese query (each character carries a syllable), a quarter of a Latin one
 * (letters carry less), none below three Chinese characters or four letters, where one edit leaves
 * too little of what was typed to say what was meant.
 */
export type TypoQuery = { script: "han" | "latin"; text: string; budget: number };

export function typoQuery(text: string): TypoQuery | null {
  const t = normalizeText(text);
  if (HAN.test(t)) {
    const han = [...t].filter((c) => HAN.test(c)).join("");
    const n = [...han].length;
    return n >= 3 ? { script: "han", text: han, budget: Math.max(1, Math.floor(n / 3)) } : null;
  }
  if (!LATIN_ONLY.test(t)) return null;
  const n = t.replace(/[^a-z0-9]/g, "").length;
  return n >= 4 ? { script: "latin", text: t, budget: Math.max(1, Math.floor(n / 4)) } : null;
}

/** Edits from a typo query to a name's fields of its own script; above `q.budget` means not close. */
export function typoDistance(q: TypoQuery, keys: NameKeys): number {
  const over = q.budget + 1;
  if (q.script === "han") return Math.min(over, fragmentEditDistance(q.text, keys.term, q.budget));
  const compact = q.text.replace(/[^a-z0-9]/g, "");
  let best = over;
  for (const field of [keys.pinyin, keys.initials]) if (field) best = Math.min(best, prefixEditDistance(compact, field, q.budget));
  if (keys.nameEn) {
    // An English name matches from the start of any of its words (atorvastatin calcium, calcium).
    const words = keys.nameEn.split(/[\s\-/,()]+/).filter(Boolean);
    for (let i = 0; i < words.length; i++) best = Math.min(best, prefixEditDistance(q.text, words.slice(i).join(" "), q.budget));
  }
  return best;
}
