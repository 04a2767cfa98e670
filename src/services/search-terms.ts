import { getTableName } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { searchTerms } from "../db/schema";
import { columnNames } from "../db/trusted-sql";

/*
 * The search dictionary (search_terms): one row per distinct generic name and firm, read through
 * its trigram index or its index of two-character grams, never by reading every term.
 */

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

// A firm is matched by its term alone; leaving its other columns out matters when a fragment (演示,
// 制药) names hundreds of firms. The terms come back as one JSON text: hundreds of row objects of
// nine columns each cost the driver ~2 ms, one string and JSON.parse a tenth of that.
const T = columnNames(searchTerms);
const NAME_ONLY = [T.display, T.nameEn, T.pinyin, T.initials, T.category];
const TERMS_JSON = `SELECT json_group_array(json_array(t.${T.id}, t.${T.kind}, t.${T.term}, ${NAME_ONLY.map((c) => `CASE WHEN t.${T.kind} = 'name' THEN t.${c} END`).join(", ")})) AS terms
  FROM ${getTableName(searchTerms)} t`;
type TermTuple = [number, "name" | "firm", string, string, string | null, string | null, string | null, string | null];

export async function readTerms(db: Db, where: string, args: string[]): Promise<TermRow[]> {
  const [row] = await readRows<{ terms: string }>(db, `${TERMS_JSON} WHERE ${where}`, args);
  return (JSON.parse(row?.terms ?? "[]") as TermTuple[]).map(([id, kind, term, display, nameEn, pinyin, initials, category]) => ({
    id,
    kind,
    term,
    display,
    nameEn,
    pinyin,
    initials,
    category,
  }));
}

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
  if (len >= 3) return readTerms(db, "t.id IN (SELECT rowid FROM search_terms_fts WHERE search_terms_fts MATCH ?)", [ftsPhrase(text)]);
  const grams =
    len === 2
      ? { where: "gram = ?", args: [text] }
      : // A one-character query is the start of a two-character gram (or the last character of a term).
        { where: "gram >= ? AND gram < ?", args: [text, `${text}\u{10FFFF}`] };
  return readTerms(db, `t.id IN (SELECT term_id FROM search_grams WHERE ${grams.where})`, grams.args);
}
