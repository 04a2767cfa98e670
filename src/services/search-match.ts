import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { nameTier, searchTerms } from "../domain/search-query";
import { intList, textLiteral } from "./search-sql";
import { resolveWords, wordMatchesNothing, type WordMatch } from "./search-words";

/** A distinct generic name or firm from the search dictionary (search_terms). */
export type TermRow = {
  id: number;
  kind: "name" | "firm";
  term: string;
  display: string;
  nameEn: string | null;
  pinyin: string | null;
  initials: string | null;
  category: string | null;
};

/**
 * What a query text matches, before any price is read: the distinct names (with their relevance
 * tier), the firms, and the products whose codes (or, for several words, whose fields) contain it.
 * `refine` are further words every matched product must contain (阿托伐 20mg → 20mg); `words` says
 * where each occurs.
 */
export type SearchPlan = {
  text: string;
  names: Array<TermRow & { tier: number }>;
  firms: TermRow[];
  /** Product ids matched by code or through products_fts: SQL text of a list of ids or a SELECT; null when none. */
  products: string | null;
  refine: string[];
  words: WordMatch[];
};

const TERM_COLUMNS = sql.raw(
  "t.id AS id, t.kind AS kind, t.term AS term, t.display AS display, t.name_en AS nameEn, t.pinyin AS pinyin, t.initials AS initials, t.category AS category",
);

/** User text as one FTS5 string: quoted, inner quotes doubled, so AND, *, NEAR( and ( are plain text. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export const charLength = (text: string) => [...text].length;

/**
 * Dictionary terms containing `text`. Three characters and more go through the trigram index;
 * shorter text (他汀, 冠脉, at) through the index of the terms' two-character grams, since trigram
 * cannot answer it. Both are index lookups bounded by the number of distinct names and firms.
 */
export async function findTerms(db: Db, text: string): Promise<TermRow[]> {
  const len = charLength(text);
  if (len === 0) return [];
  if (len >= 3) {
    return db.all<TermRow>(sql`SELECT ${TERM_COLUMNS} FROM search_terms t
      WHERE t.id IN (SELECT rowid FROM search_terms_fts WHERE search_terms_fts MATCH ${ftsPhrase(text)})`);
  }
  const grams =
    len === 2
      ? sql`SELECT term_id FROM search_grams WHERE gram = ${text}`
      : // A one-character query is the start of a two-character gram (or the last character of a term).
        sql`SELECT term_id FROM search_grams WHERE gram >= ${text} AND gram < ${`${text}\u{10FFFF}`}`;
  return db.all<TermRow>(sql`SELECT ${TERM_COLUMNS} FROM search_terms t WHERE t.id IN (${grams})`);
}

async function matchText(db: Db, text: string) {
  const rows = await findTerms(db, text);
  const names: SearchPlan["names"] = [];
  const firms: TermRow[] = [];
  for (const row of rows) {
    if (row.kind === "name") {
      const tier = nameTier(text, row);
      if (tier !== null) names.push({ ...row, tier });
    } else if (row.term.includes(text)) {
      firms.push(row);
    }
  }
  return { names, firms };
}

/** Above this many products a code match stays a subquery instead of a list of ids. */
const MAX_CODE_IDS = 1000;

/**
 * Products whose codes (医保编码, 批准文号/注册证号) match the text; null when none do. A whole code
 * or its start is an index lookup on the code columns (codes are stored as published, in upper
 * case); only a fragment from the middle needs the trigram index, whose common trigrams (000, SYN)
 * would make every lookup slow.
 */
async function codeMatches(db: Db, text: string): Promise<string | null> {
  // Every code carries digits; without one, the text is a name and the code lookups only cost time.
  if (charLength(text) < 3 || text.includes(" ") || !/\d/.test(text)) return null;
  const code = text.toUpperCase();
  const end = `${code}\u{10FFFF}`;
  const cap = sql.raw(String(MAX_CODE_IDS + 1));
  let rows = await db.all<{ id: number }>(sql`SELECT id FROM products WHERE nhsa_code = ${code} OR approval_no = ${code}`);
  if (!rows.length) {
    rows = await db.all<{ id: number }>(sql`SELECT id FROM (SELECT id FROM products WHERE nhsa_code >= ${code} AND nhsa_code < ${end} LIMIT ${cap})
      UNION SELECT id FROM (SELECT id FROM products WHERE approval_no >= ${code} AND approval_no < ${end} LIMIT ${cap})`);
  }
  const match = `codes : ${ftsPhrase(text)}`;
  if (!rows.length) rows = await db.all<{ id: number }>(sql`SELECT rowid AS id FROM products_fts WHERE products_fts MATCH ${match} LIMIT ${cap}`);
  if (!rows.length) return null;
  if (rows.length > MAX_CODE_IDS) return `SELECT rowid FROM products_fts WHERE products_fts MATCH ${textLiteral(match)}`;
  return intList(rows.map((r) => r.id));
}

/** Resolves typed text to a plan; null when the text is empty after normalization. */
export async function planSearch(db: Db, raw: string): Promise<SearchPlan | null> {
  const { text, terms } = searchTerms(raw);
  if (!text) return null;
  const whole = await matchText(db, text);
  const products = await codeMatches(db, text);
  if (whole.names.length || whole.firms.length || products || terms.length < 2) {
    return { text, ...whole, products, refine: [], words: [] };
  }
  // Several words and the whole text is nowhere: the first word naming a drug or firm leads, the
  // others must appear in the product (spec, form, firm, codes).
  for (const [i, term] of terms.entries()) {
    const part = await matchText(db, term);
    if (part.names.length || part.firms.length) {
      const refine = terms.filter((_, j) => j !== i);
      return { text: term, ...part, products: null, refine, words: await resolveWords(db, refine) };
    }
  }
  // No word names a drug or firm: every word of three characters or more must be in one product.
  const long = terms.filter((t) => charLength(t) >= 3);
  if (!long.length) return { text, names: [], firms: [], products: null, refine: [], words: [] };
  const match = long.map(ftsPhrase).join(" AND ");
  const refine = terms.filter((t) => charLength(t) < 3);
  return {
    text,
    names: [],
    firms: [],
    products: `SELECT rowid FROM products_fts WHERE products_fts MATCH ${textLiteral(match)}`,
    refine,
    words: await resolveWords(db, refine),
  };
}

/** True when the plan can match nothing at all. */
export const planIsEmpty = (plan: SearchPlan) =>
  (!plan.names.length && !plan.firms.length && !plan.products) || plan.words.some(wordMatchesNothing);
