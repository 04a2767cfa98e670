import { sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LibsqlHandle, openLibsql } from "../../../src/db/client";
import { readRows } from "../../../src/db/read-rows";
import { priceSearch, prices } from "../../../src/db/schema";
import { foldedSql, plainText, renderedAlias, trustedSql } from "../../../src/db/trusted-sql";
import { allOf, anyOf, litInt, litInts, litText, unionAll } from "../../../src/services/search-sql";

/**
 * Search statements are sent as the text plainText renders, not drizzle's: it must be drizzle's
 * text to the character, or a search would ask something else than what its SQL says.
 */
const dialect = new SQLiteAsyncDialect();
const ps = renderedAlias(priceSearch, "ps");

describe("plainText", () => {
  it("renders a search-shaped statement exactly as drizzle does: aliases, tables, literals, nested fragments, unions", () => {
    const arm = (id: number) =>
      foldedSql`SELECT ${ps.priceId} AS id FROM ${priceSearch} ${ps} WHERE ${allOf([
        foldedSql`${ps.nameId} = ${litInt(id)}`,
        anyOf([foldedSql`${ps.regions} = ''`, foldedSql`instr(${ps.regions}, ${litText(",65,")}) > 0`]),
        foldedSql`${ps.batchId} = ${litText("国家第'三'批\n")}`,
      ])}`;
    const statements = [
      sql`SELECT count(*) FROM ${prices} p WHERE p.id IN (${litInts([1, 2, 3])})`,
      sql`SELECT id FROM (${unionAll([1, 2, 3, 4, 5, 6, 7].map(arm))}) ORDER BY id LIMIT ${litInt(21)}`,
      foldedSql`${trustedSql("SELECT 1")} UNION ALL ${sql`SELECT ${sql`2`}`}`,
    ];
    for (const statement of statements) {
      const drizzle = dialect.sqlToQuery(statement);
      expect(drizzle.params).toEqual([]);
      expect(plainText(statement)).toBe(drizzle.sql);
    }
  });

  it("leaves to drizzle what is not text: a bound value, a drizzle column", () => {
    expect(plainText(sql`SELECT * FROM ${prices} WHERE id = ${7}`)).toBeNull();
    expect(plainText(sql`SELECT ${prices.id} FROM ${prices}`)).toBeNull();
  });
});

describe("readRows with statements of text alone and with bound values", () => {
  let handle: LibsqlHandle;
  beforeAll(async () => {
    handle = openLibsql(":memory:");
    await handle.client.executeMultiple(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, '阿托伐他汀'), (2, 'it''s');`);
  });
  afterAll(() => handle.close());

  it("answers the same rows either way", async () => {
    const asText = await readRows<{ id: number }>(handle.db, foldedSql`SELECT id FROM t WHERE name = ${litText("it's")}`);
    const bound = await readRows<{ id: number }>(handle.db, sql`SELECT id FROM t WHERE name = ${"it's"}`);
    expect(asText.map((r) => r.id)).toEqual([2]);
    expect(bound.map((r) => r.id)).toEqual([2]);
  });
});
