import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from "drizzle-kit/api";
import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/db/migrate";
import * as schema from "../../src/db/schema";
import { useTestWorld } from "../support/world";

/*
 * src/db/schema.ts and drizzle/*.sql are two descriptions of one database: the code's types come
 * from the first, the database from the second. A column added to one and not the other, a table
 * only a migration creates, or a trigger a table rebuild dropped fails here.
 */

/** What drizzle cannot declare, so only the migrations create it (FTS5 and its shadow tables). */
const MIGRATION_ONLY_TABLES = ["products_fts", "search_terms_fts"];
const isFtsShadow = (name: string) => MIGRATION_ONLY_TABLES.some((t) => name.startsWith(`${t}_`));

const schemaTables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable)).map((table) => getTableConfig(table));

/**
 * The tables, indexes and triggers the migrations leave, replayed in the journal's order: what a
 * migration creates, less what a later one drops (dropping a table drops its indexes and triggers).
 */
function createdByMigrations(): { TABLE: string[]; INDEX: string[]; TRIGGER: string[] } {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const objects = new Map<string, { kind: string; table: string }>();
  const name = "[`\"']?(\\w+)[`\"']?";
  const statement = new RegExp(
    `(CREATE)\\s+(?:UNIQUE\\s+|VIRTUAL\\s+)?(TABLE|INDEX|TRIGGER)\\s+(?:IF NOT EXISTS\\s+)?${name}(?:[^;]*?\\bON\\s+${name})?|(DROP)\\s+(TABLE|INDEX|TRIGGER)\\s+(?:IF EXISTS\\s+)?${name}`,
    "gi",
  );
  for (const { tag } of journal.entries) {
    const text = readFileSync(join(MIGRATIONS_FOLDER, `${tag}.sql`), "utf8").replace(/--[^\n]*/g, "");
    for (const m of text.matchAll(statement)) {
      if (m[1]) {
        const kind = m[2]!.toUpperCase();
        objects.set(m[3]!, { kind, table: kind === "TABLE" ? m[3]! : (m[4] ?? "") });
      } else {
        const dropped = m[7]!;
        objects.delete(dropped);
        if (m[6]!.toUpperCase() === "TABLE") for (const [key, o] of objects) if (o.table === dropped) objects.delete(key);
      }
    }
  }
  const of = (kind: string) =>
    [...objects]
      .filter(([, o]) => o.kind === kind)
      .map(([key]) => key)
      .sort();
  return { TABLE: of("TABLE"), INDEX: of("INDEX"), TRIGGER: of("TRIGGER") };
}

describe("the drizzle schema and the migrations describe the same database", () => {
  const world = useTestWorld({ seed: false });
  const master = async (type: string) =>
    (await world.db.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = '${type}' AND name NOT LIKE 'sqlite_%' ORDER BY name`)).map(
      (r) => r.name,
    );

  it("declares every table the migrations create, and nothing else (FTS5 tables aside)", async () => {
    const migrated = (await master("table")).filter((name) => name !== "__drizzle_migrations" && !isFtsShadow(name) && !MIGRATION_ONLY_TABLES.includes(name));
    expect(schemaTables.map((t) => t.name).sort()).toEqual(migrated);
    expect(await master("table")).toEqual(expect.arrayContaining(MIGRATION_ONLY_TABLES));
  });

  it("gives each table the migrated database's columns: names, types, NOT NULL and primary key", async () => {
    for (const table of schemaTables) {
      const info = await world.db.all<{ name: string; type: string; notnull: number; pk: number }>(`PRAGMA table_info(\`${table.name}\`)`);
      const composite = new Set(table.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)));
      const declared = table.columns.map((c) => ({
        name: c.name,
        type: c.getSQLType().toLowerCase(),
        notnull: c.notNull || c.primary,
        pk: c.primary || composite.has(c.name),
      }));
      const migrated = info.map((c) => ({
        name: c.name,
        type: c.type.toLowerCase(),
        notnull: c.notnull === 1 || (c.pk > 0 && c.type.toLowerCase() === "integer" && !composite.size),
        pk: c.pk > 0,
      }));
      const byName = <T extends { name: string }>(rows: T[]) => [...rows].sort((a, b) => a.name.localeCompare(b.name));
      expect(byName(declared), table.name).toEqual(byName(migrated));
    }
  });

  it("has every index the schema declares, on its table", async () => {
    const indexes = await world.db.all<{ name: string; tbl_name: string }>(
      "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
    );
    const onTable = new Map(indexes.map((i) => [i.name, i.tbl_name]));
    for (const table of schemaTables) for (const index of table.indexes) expect(onTable.get(index.config.name), index.config.name).toBe(table.name);
  });

  it("has every table, index and trigger the migrations create (a drizzle-kit table rebuild drops triggers silently)", async () => {
    const [tables, indexes, triggers] = await Promise.all([master("table"), master("index"), master("trigger")]);
    const created = createdByMigrations();
    expect(tables).toEqual(expect.arrayContaining(created.TABLE));
    expect(indexes).toEqual(expect.arrayContaining(created.INDEX));
    const expectedTriggers = created.TRIGGER;
    expect(expectedTriggers.length).toBeGreaterThan(40);
    expect(triggers).toEqual(expectedTriggers);
  });
});

describe("drizzle-kit and the schema", () => {
  it("finds nothing to migrate: drizzle/meta's last snapshot is the schema, so `npm run db:generate` writes no migration", async () => {
    const meta = join(MIGRATIONS_FOLDER, "meta");
    const last = readdirSync(meta)
      .filter((f) => f.endsWith("_snapshot.json"))
      .sort()
      .at(-1)!;
    const snapshot = JSON.parse(readFileSync(join(meta, last), "utf8"));
    const current = await generateSQLiteDrizzleJson(schema as Record<string, unknown>, snapshot.id);
    expect(await generateSQLiteMigration(snapshot, current)).toEqual([]);
  });
});
