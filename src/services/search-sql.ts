import { type SQL, sql } from "drizzle-orm";
import { foldedSql, trustedSql } from "../db/trusted-sql";

/**
 * Values inlined into search SQL. A page of ranked search is a union of many small index reads,
 * each repeating its filters, so bound parameters would pass D1's limit of 100 per query; the values
 * are inlined instead, each as an exact literal that no input can break out of.
 */

/** An integer literal; anything else is a bug in the caller, not user input. */
export function intLiteral(x: number): string {
  if (!Number.isSafeInteger(x)) throw new Error(`not an integer: ${x}`);
  return String(x);
}

export const intList = (xs: readonly number[]) => xs.map(intLiteral).join(",");

/**
 * A text literal: quoted with inner quotes doubled, or, when the text holds a character that would
 * end or bend the statement (NUL, other controls), spelled out as its UTF-8 bytes.
 */
export function textLiteral(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f\ud800-\udfff]/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  const hex = [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `CAST(X'${hex}' AS TEXT)`;
}

/*
 * The same values as drizzle `SQL`, so search statements are built as SQL values end to end (never
 * text that another part reads back) while staying free of bound parameters.
 */
export const litText = (s: string): SQL => trustedSql(textLiteral(s));
export const litInt = (x: number): SQL => trustedSql(intLiteral(x));
export const litInts = (xs: readonly number[]): SQL => trustedSql(intList(xs));

/** A text column starting with `start`, as a range its index serves. */
export const startsWith = (col: unknown, start: string): SQL => foldedSql`${col} >= ${litText(start)} AND ${col} < ${litText(`${start}\u{10FFFF}`)}`;

/** Conditions joined by AND, each in brackets; true when there are none. */
export function allOf(parts: ReadonlyArray<SQL>): SQL {
  return parts.length
    ? sql.join(
        parts.map((p) => foldedSql`(${p})`),
        foldedSql` AND `,
      )
    : foldedSql`1`;
}

/** Conditions joined by OR, each in brackets; false when there are none. */
export function anyOf(parts: ReadonlyArray<SQL>): SQL {
  return parts.length
    ? foldedSql`(${sql.join(
        parts.map((p) => foldedSql`(${p})`),
        foldedSql` OR `,
      )})`
    : foldedSql`0`;
}

/**
 * D1 allows five terms in one compound SELECT (SQLite's own default is 500): more arms than that
 * failed there ("too many terms in compound SELECT"), so they are nested, at most five per UNION ALL.
 */
export const MAX_COMPOUND_TERMS = 5;

/** `arms` as one UNION ALL of their rows, nested so that no compound SELECT has more than MAX_COMPOUND_TERMS terms. */
export function unionAll(arms: ReadonlyArray<SQL>): SQL {
  if (arms.length <= MAX_COMPOUND_TERMS) return sql.join([...arms], sql` UNION ALL `);
  const size = Math.ceil(arms.length / MAX_COMPOUND_TERMS);
  const parts: SQL[] = [];
  for (let i = 0; i < arms.length; i += size) parts.push(sql`SELECT * FROM (${unionAll(arms.slice(i, i + size))})`);
  return sql.join(parts, sql` UNION ALL `);
}
