import { sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { batches, batchStats } from "../../src/db/schema";
import { aliasedColumn, renderedAlias } from "../../src/db/trusted-sql";

const render = (query: ReturnType<typeof sql>) => new SQLiteSyncDialect().sqlToQuery(query).sql;

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
