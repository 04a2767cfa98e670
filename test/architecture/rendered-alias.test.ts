import { sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { selectColumns } from "../../src/db/rows";
import { batches, batchStats } from "../../src/db/schema";
import { aliasedColumn, bareColumns, foldedSql, renderedAlias, trustedSql } from "../../src/db/trusted-sql";

const dialect = new SQLiteSyncDialect();
const render = (query: ReturnType<typeof sql>) => dialect.sqlToQuery(query).sql;

describe("renderedAlias: table aliases named through the schema, rendered once", () => {
  const b = renderedAlias(batches, "b");

  it("renders the alias and each column under it with the schema's column names", () => {
    expect(render(sql`SELECT ${b.cycleStart} FROM ${batches} ${b}`)).toBe('SELECT "b"."cycle_start" FROM "batches" "b"');
  });

  it("aliasedColumn finds a schema column under the alias, the same text as the alias's own key", () => {
    expect(aliasedColumn(b, batches.cycleStart)).toBe(b.cycleStart);
    expect(render(sql`${aliasedColumn(renderedAlias(batchStats, "s"), batchStats.stats)}`)).toBe('"s"."stats"');
  });

  it("refuses a column of another table, naming the alias", () => {
    expect(() => aliasedColumn(b, batchStats.stats)).toThrow(/stats .*aliased as "b"/);
  });
});

describe("foldedSql: search's statements as few text chunks, rendered as drizzle's sql renders them", () => {
  const b = renderedAlias(batches, "b");
  const id = "national-drug-4";

  it("renders the same text and binds the same values as sql", () => {
    const cond = (tag: typeof foldedSql) => tag`${b.cycleStart} > ${trustedSql("'2020-01'")} AND ${b.id} = ${id}`;
    const whole = (tag: typeof foldedSql) =>
      tag`SELECT ${b.name} FROM ${batches} ${b} WHERE (${cond(tag)}) AND ${b.level} IN (${sql.join([trustedSql("'national'"), trustedSql("'provincial'")], sql`, `)})`;
    expect(dialect.sqlToQuery(whole(foldedSql))).toEqual(dialect.sqlToQuery(whole(sql)));
    expect(dialect.sqlToQuery(whole(foldedSql)).params).toEqual([id]);
  });

  it("folds schema columns, tables and literals into the text around them, keeping a bound value as a chunk", () => {
    expect(foldedSql`${b.cycleStart} > ${trustedSql("'2020-01'")}`.queryChunks).toHaveLength(1);
    const read = foldedSql`SELECT ${b.id} FROM ${batches} ${b} WHERE ${b.id} = ${id}`;
    expect(read.queryChunks).toHaveLength(2);
    expect(dialect.sqlToQuery(read)).toMatchObject({ sql: 'SELECT "b"."id" FROM "batches" "b" WHERE "b"."id" = ?', params: [id] });
  });

  it("writes bareColumns and selectColumns as text that folds, rendered as drizzle renders the schema's names", () => {
    const col = bareColumns(batches);
    const read = foldedSql`SELECT ${selectColumns(batches, ["cycleStart", "name"], "b")} FROM ${batches} ${b} WHERE ${col.id} = ${id}`;
    expect(read.queryChunks).toHaveLength(2);
    expect(dialect.sqlToQuery(read).sql).toBe('SELECT "b"."cycle_start" AS "cycleStart", "b"."name" AS "name" FROM "batches" "b" WHERE "id" = ?');
    expect(dialect.sqlToQuery(sql`${col.cycleStart}`).sql).toBe(dialect.sqlToQuery(sql`${sql.identifier(batches.cycleStart.name)}`).sql);
  });
});
