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
export function fragmentEditDistance(query: string, name: string): number {
  const q = [...query];
  const n = [...name];
  // Row 0 is all zeros: the match may start anywhere in the name; the minimum of the last row lets
  // it end anywhere.
  let prev = Array.from({ length: n.length + 1 }, () => 0);
  for (let i = 1; i <= q.length; i++) {
    const cur = [i];
    for (let j = 1; j <= n.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (q[i - 1] === n[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return Math.min(...prev);
}

/** Edits a query may be away from a name before it stops being a plausible misspelling. */
export function typoBudget(query: string): number {
  return Math.max(1, Math.floor([...query].length / 3));
}
