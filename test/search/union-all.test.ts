import { createClient } from "@libsql/client";
import { sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { litInt, unionAll } from "../../src/services/search-sql";

const dialect = new SQLiteAsyncDialect();

/** The most terms any one compound SELECT of the text has (UNION ALLs at one depth of parentheses, plus one). */
function widestCompound(text: string): number {
  const counts = [1];
  let widest = 1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") counts.push(1);
    else if (text[i] === ")") widest = Math.max(widest, counts.pop() ?? 1);
    else if (text.startsWith(" UNION ALL ", i)) counts[counts.length - 1]! += 1;
  }
  return Math.max(widest, ...counts);
}

describe("unions of many arms (D1 allows five terms in one compound SELECT)", () => {
  it("keeps every arm's rows, and no compound SELECT has more than five terms", async () => {
    const db = createClient({ url: ":memory:" });
    try {
      for (const n of [1, 2, 5, 6, 7, 25, 26, 60, 176, 400]) {
        const arms = Array.from({ length: n }, (_, i) => sql`SELECT ${litInt(i)} AS x`);
        const text = dialect.sqlToQuery(sql`SELECT x FROM (${unionAll(arms)}) ORDER BY x`).sql;
        // D1 answers "too many terms in compound SELECT" above five.
        expect(widestCompound(text), `${n} arms`).toBeLessThanOrEqual(5);
        const rows = (await db.execute(text)).rows.map((r) => Number(r.x));
        expect(rows, `${n} arms`).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    } finally {
      db.close();
    }
  });
});
