import type { SQL } from "drizzle-orm";
import { products } from "../db/schema";
import { bareColumns, foldedSql } from "../db/trusted-sql";
import { litInts, litText, startsWith } from "./search-sql";

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
      return foldedSql`${codeRangeSql("nhsaCode", m.code)} UNION ${codeRangeSql("approvalNo", m.code)}`;
    case "fts":
      // products_fts is an FTS5 table (migrations only): its name and rowid stay literal.
      return foldedSql`SELECT rowid FROM products_fts WHERE products_fts MATCH ${litText(m.match)}`;
  }
}

const product = bareColumns(products);

/** Products whose code column starts with `code` (codes are stored as published, upper case): a range on its index. */
export function codeRangeSql(col: "nhsaCode" | "approvalNo", code: string): SQL {
  return foldedSql`SELECT ${product.id} FROM ${products} WHERE ${startsWith(product[col], code)}`;
}
