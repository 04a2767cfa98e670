import { createHash } from "node:crypto";
import { createClient } from "@libsql/client";

/** Tables holding user data; the import audit log is left out because every attempt adds to it. */
export const DATA_TABLES = ["regions", "batches", "products", "prices", "price_regions", "volumes", "batch_stats", "app_meta"];

/** A digest of every data table's rows, in primary-key order, and the result of PRAGMA integrity_check. */
export async function dumpDatabase(url: string): Promise<{ digest: string; counts: Record<string, number>; integrity: string }> {
  const client = createClient({ url });
  try {
    const tables = (await client.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")).rows.map((r) => String(r.name));
    const hash = createHash("sha256");
    const counts: Record<string, number> = {};
    for (const t of tables.filter((t) => !t.startsWith("sqlite_") && !t.startsWith("__") && t !== "imports").sort()) {
      const rows = (await client.execute(`SELECT * FROM "${t}" ORDER BY 1, 2`)).rows;
      counts[t] = rows.length;
      hash.update(`${t}\n`);
      for (const r of rows) hash.update(JSON.stringify(Object.values(r), (_k, v) => (typeof v === "bigint" ? v.toString() : v)) + "\n");
    }
    const integrity = String((await client.execute("PRAGMA integrity_check")).rows[0]?.[0]);
    return { digest: hash.digest("hex"), counts, integrity };
  } finally {
    client.close();
  }
}
