import { createHash } from "node:crypto";
import { createClient } from "@libsql/client";

/**
 * A digest of every stored table except the import audit log and the imports' journals (which
 * imports add to), including the search index's FTS5 shadow tables, compared value by value (blobs as hex). Two
 * equal snapshots mean the data a user can see, and the index behind it, are byte-for-byte equal.
 */
export async function snapshotDatabase(url: string): Promise<Record<string, { rows: number; sha256: string }>> {
  const client = createClient({ url });
  try {
    const tables = await client.execute(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'imports' AND name NOT LIKE 'import_journal%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
    );
    const out: Record<string, { rows: number; sha256: string }> = {};
    for (const { name } of tables.rows) {
      const rows = (await client.execute(`SELECT * FROM "${String(name)}"`)).rows;
      const lines = rows
        .map((r) =>
          JSON.stringify(Object.values(r), (_k, v) => (v instanceof ArrayBuffer ? Buffer.from(v).toString("hex") : typeof v === "bigint" ? String(v) : v)),
        )
        .sort();
      out[String(name)] = { rows: rows.length, sha256: createHash("sha256").update(lines.join("\n")).digest("hex") };
    }
    return out;
  } finally {
    client.close();
  }
}
