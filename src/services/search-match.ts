import { getTableName, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { products, searchAliases } from "../db/schema";
import { bareColumns, columnNames, foldedSql } from "../db/trusted-sql";
import { nameTier, searchTerms } from "../domain/search-query";
import { codeRangeSql, type ProductMatch } from "./search-products";
import { litInt, litText } from "./search-sql";

export type { ProductMatch } from "./search-products";

import { type NameMatch, stemNames } from "./search-stems";
import { charLength, findTerms, ftsPhrase, type TermRow } from "./search-terms";
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from "./search-tuning";
import { resolveWords, type WordMatch, wordMatchesNothing } from "./search-words";

export { charLength, findTerms, ftsPhrase, type TermRow } from "./search-terms";

/**
 * What a query text matches, before any price is read: the distinct names (with their relevance
 * tier), the firms, and the products whose codes (or, for several words, whose fields) contain it.
 * `refine` are further words every matched product must contain (阿托伐 20mg → 20mg); `words` says
 * where each occurs.
 */
export type SearchPlan = {
  text: string;
  /** Names as typed, and those the text stands for without its form word and salt (search-stems.ts). */
  names: NameMatch[];
  firms: TermRow[];
  /** Products matched by code or through products_fts; null when none. */
  products: ProductMatch | null;
  /**
   * Set when `products` are the many products (more than a list holds) whose 医保编码 alone or
   * whose 批准文号 alone starts with this text, at most CODE_LEVEL_MAX characters: their prices are
   * then counted from search_code_groups and each can be tested on its own row.
   */
  codePrefix: string | null;
  refine: string[];
  words: WordMatch[];
};

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
  names.push(...(await stemNames(db, text, new Set(names.map((n) => n.id)))));
  return { names, firms };
}

/** Starts of codes are counted in search_code_groups at these lengths (drizzle/0007_search_broad_matches.sql). */
export const CODE_LEVELS = [3, 6, 9, 12] as const;
/** Starts of codes are counted per band of unit price in search_code_price_cells at these lengths (drizzle/0024). */
export const CODE_PRICE_CELL_LEVELS = [3, 6, 9] as const;
const CODE_LEVEL_MAX = CODE_LEVELS[CODE_LEVELS.length - 1] ?? 0;

/** Columns through the schema: as SQL text for the statement sent as text, bare for the one-table template. */
const pc = columnNames(products);
const aliasCol = bareColumns(searchAliases);

// Each code as a range, not `=`: statistics taken while most products had no code (the seeds)
// rate an equality on the column as matching them all, and SQLite then scans every product for
// the OR; a range it still reads from the two indexes (as RENEWED_BY_SQL in price-view.ts).
const EXACT_CODE_SQL = `SELECT ${pc.id} FROM ${getTableName(products)} WHERE (${pc.nhsaCode} >= ?1 AND ${pc.nhsaCode} <= ?1) OR (${pc.approvalNo} >= ?1 AND ${pc.approvalNo} <= ?1)`;

type CodeMatch = Pick<SearchPlan, "products" | "codePrefix">;
const NO_CODE: CodeMatch = { products: null, codePrefix: null };

/**
 * Products whose codes (医保编码, 批准文号/注册证号) match the text. A whole code or its start is an
 * index lookup on the code columns (codes are stored as published, in upper case); only a fragment
 * from the middle needs the trigram index, whose common trigrams (000, SYN) would make every lookup
 * slow. A start shared by more products than a list holds stays a range on the code indexes (the
 * same set, not the trigram index's wider one of every code containing the text).
 */
async function codeMatches(db: Db, text: string, maxIds: number): Promise<CodeMatch> {
  // Every code carries digits; without one, the text is a name and the code lookups only cost time.
  if (charLength(text) < 3 || text.includes(" ") || !/\d/.test(text)) return NO_CODE;
  const code = text.toUpperCase();
  const exact = await readRows<{ id: number }>(db, EXACT_CODE_SQL, [code]);
  if (exact.length) return { products: { kind: "ids", ids: exact.map((r) => r.id) }, codePrefix: null };
  const columns = ["nhsaCode", "approvalNo"] as const;
  // Counted first: a start shared by 100,000 products must not bring their ids into JS.
  const counts = await Promise.all(
    columns.map(
      async (col) =>
        (await readRows<{ n: number }>(db, foldedSql`SELECT count(*) AS n FROM (${codeRangeSql(col, code)} LIMIT ${litInt(maxIds + 1)})`))[0]?.n ?? 0,
    ),
  );
  let ids: number[] = [];
  if (counts.every((n) => n <= maxIds)) {
    const rows = await Promise.all(columns.map((col, i) => (counts[i] ? readRows<{ id: number }>(db, codeRangeSql(col, code)) : [])));
    ids = [...new Set(rows.flat().map((r) => r.id))];
  }
  if (ids.length > maxIds || counts.some((n) => n > maxIds)) {
    // Counted from the starts of codes only when one column alone matches: a product whose two codes
    // both start with the text would count twice there.
    const oneColumn = counts.some((n) => n === 0);
    return { products: { kind: "codeStart", code }, codePrefix: oneColumn && charLength(code) <= CODE_LEVEL_MAX ? code : null };
  }
  if (ids.length) return { products: { kind: "ids", ids }, codePrefix: null };
  const match = `codes : ${ftsPhrase(text)}`;
  // products_fts is an FTS5 table (migrations only): its name and rowid stay literal.
  const rows = await readRows<{ id: number }>(db, "SELECT rowid AS id FROM products_fts WHERE products_fts MATCH ? LIMIT ?", [match, maxIds + 1]);
  if (!rows.length) return NO_CODE;
  if (rows.length > maxIds) return { products: { kind: "fts", match }, codePrefix: null };
  return { products: { kind: "ids", ids: rows.map((r) => r.id) }, codePrefix: null };
}

/**
 * Products named by the start of a name users type besides the generic name and the firm's full
 * name: a brand (商品名: 立普妥) or a firm's short name (生产企业-简称: 正大天晴, 北京嘉林 for
 * 嘉林药业). search_aliases keeps them lower-cased (drizzle/0012_renewals_regional_volumes.sql);
 * its primary key starts with the alias, so this is one index range. Null when none, or when more
 * products than a list holds share the start (a fragment that short names nothing in particular).
 * `kinds` limits it to brands ('b') or short names ('s').
 */
export async function aliasProducts(db: Db, text: string, maxIds: number, kinds: ReadonlyArray<"b" | "s"> = ["b", "s"]): Promise<number[] | null> {
  if (charLength(text) < 2) return null;
  const rows = await readRows<{ id: number }>(
    db,
    foldedSql`SELECT DISTINCT ${aliasCol.productId} AS id FROM ${searchAliases} WHERE ${aliasCol.alias} >= ${text} AND ${aliasCol.alias} < ${`${text}\u{10FFFF}`}
      AND ${aliasCol.kind} IN (${sql.join(
        kinds.map((k) => litText(k)),
        foldedSql`, `,
      )}) LIMIT ${litInt(maxIds + 1)}`,
  );
  return rows.length && rows.length <= maxIds ? rows.map((r) => r.id) : null;
}

/** Code matches and alias matches as one set of products (a list of ids merges; a wider match stays). */
function withAliases(codes: CodeMatch, aliases: number[] | null): CodeMatch {
  if (!aliases) return codes;
  if (!codes.products) return { products: { kind: "ids", ids: aliases }, codePrefix: null };
  if (codes.products.kind === "ids") return { products: { kind: "ids", ids: [...new Set([...codes.products.ids, ...aliases])] }, codePrefix: null };
  return codes;
}

/** Resolves typed text to a plan; null when the text is empty after normalization. */
export async function planSearch(db: Db, raw: string, tuning: SearchTuning = DEFAULT_SEARCH_TUNING): Promise<SearchPlan | null> {
  const { text, terms } = searchTerms(raw);
  if (!text) return null;
  const whole = await matchText(db, text);
  const codes = withAliases(await codeMatches(db, text, tuning.maxCodeIds), await aliasProducts(db, text, tuning.maxCodeIds));
  if (whole.names.length || whole.firms.length || codes.products || terms.length < 2) {
    return { text, ...whole, ...codes, refine: [], words: [] };
  }
  // Several words and the whole text is nowhere: the first word naming a drug or firm leads, the
  // others must appear in the product (spec, form, firm, codes).
  for (const [i, term] of terms.entries()) {
    const part = await matchText(db, term);
    const aliases = await aliasProducts(db, term, tuning.maxCodeIds);
    if (part.names.length || part.firms.length || aliases) {
      const refine = terms.filter((_, j) => j !== i);
      return { text: term, ...part, ...withAliases(NO_CODE, aliases), refine, words: await resolveWords(db, refine) };
    }
  }
  // No word names a drug or firm: every word of three characters or more must be in one product.
  const long = terms.filter((t) => charLength(t) >= 3);
  if (!long.length) return { text, names: [], firms: [], ...NO_CODE, refine: [], words: [] };
  const match = long.map(ftsPhrase).join(" AND ");
  const refine = terms.filter((t) => charLength(t) < 3);
  return {
    text,
    names: [],
    firms: [],
    products: { kind: "fts", match },
    codePrefix: null,
    refine,
    words: await resolveWords(db, refine),
  };
}

/** True when the plan can match nothing at all. */
export const planIsEmpty = (plan: SearchPlan) => (!plan.names.length && !plan.firms.length && !plan.products) || plan.words.some(wordMatchesNothing);
