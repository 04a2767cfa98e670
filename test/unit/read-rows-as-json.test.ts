import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LibsqlHandle, openLibsql } from "../../src/db/client";
import { readRows, readRowsAsJson } from "../../src/db/read-rows";

/** Rows read as one JSON text must be the rows read one by one: the values a price answer shows. */
let handle: LibsqlHandle;
beforeAll(async () => {
  handle = openLibsql(":memory:");
  await handle.client.executeMultiple(`
    CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, e4 INTEGER, note TEXT);
    INSERT INTO t VALUES
      (1, '阿托伐他汀钙片', 9429, NULL),
      (2, 'say "10mg" \\ 每片', -1, '新疆（含兵团）'),
      (3, 'line
break	tab', 9007199254740991, '[1,2]'),
      (4, '', 0, '💊');`);
});
afterAll(() => handle.close());

type Row = { id: number; name: string; e4: number; note: string | null };
const NAMES = ["id", "name", "e4", "note"] as const;
const byId = (rows: Row[]) => [...rows].sort((a, b) => a.id - b.id);

describe("readRowsAsJson", () => {
  it("gives the same values as the driver's rows: Chinese text, quotes, backslashes, control characters, NULL, the largest safe integer, text that looks like JSON", async () => {
    const plain = (await readRows<Row>(handle.db, "SELECT id, name, e4, note FROM t")).map((r) => ({ id: r.id, name: r.name, e4: r.e4, note: r.note }));
    const packed = await readRowsAsJson<Row>(handle.db, "SELECT id, name, e4, note FROM t", NAMES);
    expect(byId(packed)).toEqual(byId(plain));
    expect(packed.find((r) => r.id === 3)?.note).toBe("[1,2]");
  });

  it("takes arguments and drizzle templates, and answers no rows as an empty list", async () => {
    expect(await readRowsAsJson<Row>(handle.db, "SELECT id, name, e4, note FROM t WHERE id > ?", NAMES, [10])).toEqual([]);
    const two = await readRowsAsJson<Row>(handle.db, sql`SELECT id, name, e4, note FROM t WHERE id IN (${1}, ${2})`, NAMES);
    expect(byId(two).map((r) => r.name)).toEqual(["阿托伐他汀钙片", 'say "10mg" \\ 每片']);
  });
});
