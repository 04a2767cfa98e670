import { getTableName } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { products, searchTerms as searchTermsTable } from "../db/schema";
import { columnNames } from "../db/trusted-sql";
import { nameTier, searchTerms, typoDistance, typoQuery } from "../domain/search-query";
import { aliasProducts, charLength, findTerms, type TermRow } from "./search-match";
import { intList, intLiteral } from "./search-sql";
import { stemNames } from "./search-stems";

export type Suggestion = { name: string; nameEn: string | null; initials: string | null; category: string | null; prices: number };

/** Prices per dictionary term, from search_facets (a few rows per term). */
async function priceCounts(db: Db, termIds: number[]): Promise<Map<number, number>> {
  if (!termIds.length) return new Map();
  const rows = await readRows<{ id: number; n: number }>(
    db,
    `SELECT term_id AS id, SUM(n) AS n FROM search_facets WHERE term_id IN (${intList(termIds)}) GROUP BY term_id`,
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}

const toSuggestion = (t: TermRow, prices: number): Suggestion => ({
  name: t.display,
  nameEn: t.nameEn,
  initials: t.initials,
  category: t.category,
  prices,
});

/**
 * Distinct generic names for a search box, best first: exact name or 拼音码, then prefix, then
 * substring; within a tier the names with more prices first, then the shorter. Answered from the name dictionary
 * and its indexes only, never from prices.
 */
export async function suggestNames(db: Db, raw: string, limit: number): Promise<Suggestion[]> {
  const { text, terms } = searchTerms(raw);
  if (!text) return [];
  let query = text;
  let rows = (await findTerms(db, text)).filter((t) => t.kind === "name");
  if (!rows.length && terms.length > 1 && terms[0]) {
    query = terms[0];
    rows = (await findTerms(db, query)).filter((t) => t.kind === "name");
  }
  // The names the text stands for without its form word and salt (atfttgp → 阿托伐他汀), after the
  // names that hold it as typed.
  const stems = await stemNames(db, query, new Set(rows.map((t) => t.id)));
  if (!rows.length && !stems.length) return brandSuggestions(db, query, limit);
  const ranked = [
    ...rows.map((t) => ({ t, tier: nameTier(query, t) })).filter((x): x is { t: TermRow; tier: 0 | 1 | 2 } => x.tier !== null),
    ...stems.map((t) => ({ t: t as TermRow, tier: 1 as const })),
  ];
  const counts = await priceCounts(
    db,
    ranked.map((x) => x.t.id),
  );
  return (
    ranked
      .map((x) => ({ ...x, prices: counts.get(x.t.id) ?? 0 }))
      .filter((x) => x.prices > 0)
      // Ties: the shorter name is closer to what was typed; then code-point order, so answers are stable.
      .sort((a, b) => a.tier - b.tier || b.prices - a.prices || a.t.term.length - b.t.term.length || (a.t.term < b.t.term ? -1 : a.t.term > b.t.term ? 1 : 0))
      .slice(0, limit)
      .map((x) => toSuggestion(x.t, x.prices))
  );
}

const T = columnNames(searchTermsTable);
const PR = columnNames(products);

/**
 * A brand (商品名: 立普妥) names no generic name itself: the generic names of the products sold under
 * it are suggested instead, most prices first. Read only when no name matched, from search_aliases.
 */
async function brandSuggestions(db: Db, query: string, limit: number): Promise<Suggestion[]> {
  const ids = await aliasProducts(db, query, 200, ["b"]);
  if (!ids) return [];
  const names = await readRows<TermRow>(
    db,
    `SELECT DISTINCT t.${T.id} AS id, t.${T.kind} AS kind, t.${T.term} AS term, t.${T.display} AS display, t.${T.nameEn} AS nameEn,
      t.${T.pinyin} AS pinyin, t.${T.initials} AS initials, t.${T.category} AS category
    FROM ${getTableName(products)} pr JOIN ${getTableName(searchTermsTable)} t ON t.${T.kind} = 'name' AND t.${T.term} = pr.${PR.nameNorm}
    WHERE pr.${PR.id} IN (${intList(ids)})`,
  );
  const counts = await priceCounts(
    db,
    names.map((t) => t.id),
  );
  return names
    .map((t) => ({ t, prices: counts.get(t.id) ?? 0 }))
    .filter((x) => x.prices > 0)
    .sort((a, b) => b.prices - a.prices || a.t.id - b.t.id)
    .slice(0, limit)
    .map((x) => toSuggestion(x.t, x.prices));
}

/** Two-character grams of a text: what a misspelt query still shares with the name it meant. */
function gramsOf(text: string): string[] {
  const chars = [...text];
  if (chars.length < 2) return chars;
  return [...new Set(chars.slice(0, -1).map((c, i) => c + chars[i + 1]))];
}

/**
 * Names closest to a query that matched nothing (阿托发他汀 → 阿托伐他汀钙片, atfttp → 阿托伐他汀),
 * only within a real distance and in the query's own script (src/domain/search-query.ts: typoQuery,
 * typoDistance): Chinese text against Chinese names, Latin letters against 拼音码, pinyin and English
 * names from their start, so Lipitor never offers 利培酮 (lipeitong). Candidates share a
 * two-character gram with the query (an index lookup); the fewest edits win, then more prices.
 */
export async function didYouMean(db: Db, raw: string, limit = 3): Promise<string[]> {
  const { text } = searchTerms(raw);
  if (!text || charLength(text) > 60) return [];
  const typo = typoQuery(text);
  if (!typo) return [];
  const probe = typo.script === "latin" ? typo.text.replace(/[^a-z0-9]/g, "") : typo.text;
  const all = gramsOf(probe);
  const grams = all.slice(0, 60);
  if (!grams.length) return [];
  // Each edit breaks at most two of the query's grams, so a name within the budget shares at least
  // (distinct grams − 2 × budget) of them: the others need not be read or measured.
  const minShared = all.length > grams.length ? 1 : Math.max(1, all.length - 2 * typo.budget);
  // Names without prices (all of theirs deleted) are no answer; their count comes with them.
  const candidates = await readRows<TermRow & { prices: number }>(
    db,
    `SELECT t.id AS id, t.term AS term, t.display AS display, t.name_en AS nameEn, t.pinyin AS pinyin, t.initials AS initials,
      (SELECT SUM(f.n) FROM search_facets f WHERE f.term_id = t.id) AS prices
    FROM search_grams g JOIN search_terms t ON t.id = g.term_id
    WHERE g.gram IN (${grams.map(() => "?").join(", ")}) AND t.kind = 'name'
    GROUP BY t.id HAVING count(*) >= ${intLiteral(minShared)} AND prices > 0 ORDER BY count(*) DESC, t.id LIMIT 50`,
    grams,
  );
  return candidates
    .map((c) => ({ c, distance: typoDistance(typo, c), prices: c.prices }))
    .filter((x) => x.distance <= typo.budget)
    .sort((a, b) => a.distance - b.distance || b.prices - a.prices || a.c.id - b.c.id)
    .slice(0, limit)
    .map((x) => x.c.display);
}
