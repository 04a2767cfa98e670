import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { priceSearch, searchEquivalents } from "../db/schema";
import { bareColumns, foldedSql, renderedAlias } from "../db/trusted-sql";
import { sameStrength } from "../domain/strength";
import { litInt, unionAll } from "./search-sql";

/** Columns through the schema: bare for the one-table read of search_equivalents, price_search as `ps`. */
const e = bareColumns(searchEquivalents);
const ps = renderedAlias(priceSearch, "ps");

/**
 * Equivalent products (issue 15): the same generic name and dosage form, and the same strength once
 * normalised (10 mg = 10mg, 0.5g = 500mg, 1g:5ml = 1000mg:5ml), src/domain/strength.ts.
 * search_equivalents keeps one id per published (name, form, spec) as json_array(name, form, spec)
 * (drizzle/0007_search_broad_matches.sql), so every spec of one name and form is one range of its
 * key index, and the strengths that normalise alike are picked from that range here.
 */
export async function equivalentIds(db: Db, p: { genericName: string; dosageForm: string | null; spec: string | null }): Promise<number[]> {
  // The key's start, '["阿托伐他汀","片剂",', made by SQLite's own json_array so that it is spelt as stored.
  const start = foldedSql`substr(json_array(${p.genericName}, ${p.dosageForm}), 1, length(json_array(${p.genericName}, ${p.dosageForm})) - 1) || ','`;
  const rows = await readRows<{ id: number; key: string }>(
    db,
    foldedSql`SELECT ${e.id}, ${e.key} FROM ${searchEquivalents} WHERE ${e.key} >= ${start} AND ${e.key} < ${start} || char(1114111)`,
  );
  return rows.filter((r) => sameStrength((JSON.parse(r.key) as [string, string | null, string | null])[2], p.spec)).map((r) => r.id);
}

/**
 * The cheapest `limit` prices of equivalent products by unit price, as a SELECT of price ids: one
 * limited read of price_search_equiv_rank_idx per equivalent id (most products have one or two),
 * merged. `where` are further conditions on ps rows.
 */
export function cheapestEquivalentsSql(ids: number[], where: SQL, limit: number): SQL {
  if (!ids.length) return foldedSql`SELECT NULL AS price_id WHERE 0`;
  const arms = ids.map(
    (id) => foldedSql`SELECT * FROM (SELECT ${ps.priceId} AS price_id, ${ps.unitPriceE4} AS u FROM ${priceSearch} ${ps}
      WHERE ${ps.equivId} = ${litInt(id)} AND ${where} ORDER BY ${ps.unitPriceE4}, ${ps.priceId} LIMIT ${litInt(limit)})`,
  );
  if (arms.length === 1) return foldedSql`SELECT price_id FROM (${arms[0]})`;
  return foldedSql`SELECT price_id FROM (${unionAll(arms)}) ORDER BY u, price_id LIMIT ${litInt(limit)}`;
}
