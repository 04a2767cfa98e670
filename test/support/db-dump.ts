import { createHash } from "node:crypto";
import { createClient } from "@libsql/client";
import { snapshotDatabase } from "./db-snapshot";

/** The snapshot of every stored table folded into one digest, with row counts and PRAGMA integrity_check. */
export async function dumpDatabase(url: string): Promise<{ digest: string; counts: Record<string, number>; integrity: string }> {
  const snapshot = await snapshotDatabase(url);
  const digest = createHash("sha256").update(JSON.stringify(snapshot)).digest("hex");
  const counts = Object.fromEntries(Object.entries(snapshot).map(([table, s]) => [table, s.rows]));
  const client = createClient({ url });
  try {
    const integrity = String((await client.execute("PRAGMA integrity_check")).rows[0]?.[0]);
    return { digest, counts, integrity };
  } finally {
    client.close();
  }
}
