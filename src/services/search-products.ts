import { type SQL, sql } from "drizzle-orm";
import { trustedSql } from "../db/trusted-sql";
import { litInts, litText } from "./search-sql";

/**
 * A set of products: a list of ids; every product one of whose codes (医保编码, 批准文号) starts with
 * `code` (too many to list); or the products products_fts finds for `match`.
 */
export type ProductMatch = { kind: "ids"; ids: number[] } | { kind: "codeStart"; code: string } | { kind: "fts"; match: string };

/** The products of a match as what SQL's IN (…) takes: a list of ids or a SELECT of them. */
export function productsSql(m: ProductMatch): SQL {
  switch (m.kind) {
    case "ids":
      return litInts(m.ids);
    case "codeStart":
      return sql`${codeRangeSql("nhsa_code", m.code)} UNION ${codeRangeSql("approval_no", m.code)}`;
    case "fts":
      return sql`SELECT rowid FROM products_fts WHERE products_fts MATCH ${litText(m.match)}`;
  }
}

/** Products whose code column starts with `code` (codes are stored as published, upper case): a range on its index. */
export function codeRangeSql(col: "nhsa_code" | "approval_no", code: string): SQL {
  return sql`SELECT id FROM products WHERE ${trustedSql(col)} >= ${litText(code)} AND ${trustedSql(col)} < ${litText(`${code}\u{10FFFF}`)}`;
}
