import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { priceSearch, products, searchTerms, searchVariants } from "../db/schema";
import { bareColumns, foldedSql, renderedAlias } from "../db/trusted-sql";
import { FORM_WORDS } from "../domain/search-stem";
import { containsStrength, isStrength, strengthSpellings } from "../domain/strength";
import { codeRangeSql, type ProductMatch, productsSql } from "./search-products";
import { anyOf, litInt, litInts } from "./search-sql";

/**
 * Where a further word of a query (阿托伐 20mg → 20mg) occurs, resolved once per distinct text
 * rather than once per price: in a generic name, a firm, a variant (spec, form, package and English
 * name, search_variants; a strength by its normalised amount, src/domain/strength.ts) or, for three
 * characters and more with a digit, the start of a code. A price matches the word when its name,
 * firm, variant or product is among these.
 */
export type WordMatch = { word: string; names: number[]; firms: number[]; variants: number[]; products: ProductMatch | null };

/** Columns through the schema: bare for one-table reads, price_search as `ps`. */
const term = bareColumns(searchTerms);
const variant = bareColumns(searchVariants);
const productCol = bareColumns(products);
const ps = renderedAlias(priceSearch, "ps");

/** Above this many products a code match stays a subquery instead of a list of ids. */
const MAX_CODE_IDS = 1000;

export async function resolveWords(db: Db, words: string[]): Promise<WordMatch[]> {
  const out: WordMatch[] = [];
  for (const word of words) {
    const strength = isStrength(word);
    // A strength matches the variants that hold the same amount however it is spelt (0.5g = 500mg,
    // 10mg not in 110mg): the spellings pick candidates in SQL, containsStrength decides.
    // A dosage-form word (片, 胶囊 …) also matches the published forms it belongs to: 片 is one of
    // the 口服常释剂型 (src/domain/search-stem.ts).
    const fits = FORM_WORDS.find((f) => f.han === word)?.fits ?? [];
    const variants = strength
      ? foldedSql`SELECT 'v' AS k, ${variant.id}, ${variant.text} FROM ${searchVariants} WHERE ${anyOf(strengthSpellings(word).map((s) => foldedSql`instr(replace(${variant.text}, ' ', ''), ${s}) > 0`))}`
      : foldedSql`SELECT 'v' AS k, ${variant.id}, NULL AS text FROM ${searchVariants} WHERE ${anyOf([word, ...fits].map((w) => foldedSql`instr(${variant.text}, ${w}) > 0`))}`;
    const rows = await readRows<{ k: "n" | "f" | "v"; id: number; text: string | null }>(
      db,
      foldedSql`
      SELECT CASE ${term.kind} WHEN 'name' THEN 'n' ELSE 'f' END AS k, ${term.id}, NULL AS text FROM ${searchTerms} WHERE instr(lower(${term.term}), ${word}) > 0
      UNION ALL ${variants}`,
    );
    const match: WordMatch = { word, names: [], firms: [], variants: [], products: null };
    for (const r of rows) {
      if (r.k === "v" && strength && !containsStrength(r.text ?? "", word)) continue;
      (r.k === "n" ? match.names : r.k === "f" ? match.firms : match.variants).push(r.id);
    }
    // A code (医保编码, 批准文号) matches by its start, through the code indexes; a fragment from the
    // middle of a code is matched only as the whole query (search-match), since the trigram index
    // would also read every spec that shares its trigrams (20mg: 20m, 0mg).
    if ([...word].length >= 3 && /\d/.test(word)) {
      const code = word.toUpperCase();
      const ids = await readRows<{ id: number }>(
        db,
        foldedSql`SELECT ${productCol.id} FROM (${codeRangeSql("nhsaCode", code)} LIMIT ${litInt(MAX_CODE_IDS + 1)})
        UNION SELECT ${productCol.id} FROM (${codeRangeSql("approvalNo", code)} LIMIT ${litInt(MAX_CODE_IDS + 1)})`,
      );
      if (ids.length > MAX_CODE_IDS) match.products = { kind: "codeStart", code };
      else if (ids.length) match.products = { kind: "ids", ids: ids.map((r) => r.id) };
    }
    out.push(match);
  }
  return out;
}

export const wordMatchesNothing = (m: WordMatch) => !m.names.length && !m.firms.length && !m.variants.length && !m.products;

/** The word as a condition on price_search (alias ps), read from the rank indexes alone. */
export function wordCondition(m: WordMatch): SQL {
  const parts: SQL[] = [];
  if (m.names.length) parts.push(foldedSql`${ps.nameId} IN (${litInts(m.names)})`);
  if (m.firms.length) parts.push(foldedSql`${ps.firmId} IN (${litInts(m.firms)})`);
  if (m.variants.length) parts.push(foldedSql`${ps.variantId} IN (${litInts(m.variants)})`);
  if (m.products) parts.push(foldedSql`${ps.productId} IN (${productsSql(m.products)})`);
  return anyOf(parts);
}
