import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { priceSearch, products, searchTerms } from "../db/schema";
import { columnNames, foldedSql, renderedAlias } from "../db/trusted-sql";
import { nameIsStem, type QueryStem, queryStems } from "../domain/search-stem";
import { anyOf, litText } from "./search-sql";
import { ftsPhrase, readTerms, type TermRow } from "./search-terms";

/**
 * A matched generic name. `only`, when set, is the condition on price_search rows (ps) its prices
 * must also meet: a name reached by dropping a form word (阿托伐他汀钙片 → 阿托伐他汀) keeps only
 * the prices whose product's dosage form fits that word, or that state no form.
 */
export type NameMatch = TermRow & { tier: number; only?: SQL };

/** Reached through a stem, a name ranks with the exact matches: it is the drug that was typed. */
const STEM_TIER = 0;

/** Columns through the schema: search_terms under readTerms's `t` (SQL text, as it is sent), the rest under drizzle aliases. */
const t = columnNames(searchTerms);
const ps = renderedAlias(priceSearch, "ps");
const pr = renderedAlias(products, "pr");

/**
 * The generic names a query stands for once its trailing form word and salt are dropped
 * (src/domain/search-stem.ts), each a whole name, 拼音码 or pinyin: never a fragment, so a short
 * code (ltp) does not start matching every name that contains what is left. Chinese stems are read
 * through the (kind, term) index, Latin ones through the trigram index (three letters and more),
 * each script in one statement. `taken` are names already matched as typed; they stay as they are.
 */
export async function stemNames(db: Db, text: string, taken: ReadonlySet<number>): Promise<NameMatch[]> {
  const stems = queryStems(text);
  if (!stems.length) return [];
  const rows =
    stems[0]?.script === "han"
      ? await readTerms(
          db,
          `t.${t.kind} = 'name' AND t.${t.term} IN (${stems.map(() => "?").join(", ")})`,
          stems.map((s) => s.stem),
        )
      : // search_terms_fts is an FTS5 table (migrations only): its name and rowid stay literal.
        await readTerms(db, `t.${t.id} IN (SELECT rowid FROM search_terms_fts WHERE search_terms_fts MATCH ?) AND t.${t.kind} = 'name'`, [
          `{initials pinyin} : (${stems.map((s) => ftsPhrase(s.stem)).join(" OR ")})`,
        ]);
  const out: NameMatch[] = [];
  for (const s of stems) {
    for (const row of rows) {
      if (taken.has(row.id) || out.some((n) => n.id === row.id) || !nameIsStem(s, row)) continue;
      out.push(s.fits ? { ...row, tier: STEM_TIER, only: formsSql(row.term, s.fits) } : { ...row, tier: STEM_TIER });
    }
  }
  return out;
}

/**
 * Prices of a name whose product's dosage form fits one of `fits` (contains it) or is not stated:
 * a range of products_name_norm_idx, read once per statement.
 */
function formsSql(term: string, fits: QueryStem["fits"] & object): SQL {
  const fit = anyOf(fits.map((f) => foldedSql`instr(${pr.dosageForm}, ${litText(f)}) > 0`));
  return foldedSql`${ps.productId} IN (SELECT ${pr.id} FROM ${products} ${pr} WHERE ${pr.nameNorm} = ${litText(term)}
    AND (${pr.dosageForm} IS NULL OR ${pr.dosageForm} = '' OR ${fit}))`;
}
