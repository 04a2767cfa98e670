import type { Client, InStatement } from "@libsql/client";
import type { Db } from "../../src/db/client";

/** The database, recording every statement the service sends through its client. */
export function recording(db: Db): { db: Db; statements: InStatement[]; texts: () => string[] } {
  const statements: InStatement[] = [];
  const client = (db as unknown as { $client: Client }).$client;
  const recordingClient = new Proxy(client, {
    get(target, prop) {
      if (prop === "execute") {
        return (stmt: InStatement) => {
          statements.push(stmt);
          return target.execute(stmt);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    db: new Proxy(db, { get: (t, p, r) => (p === "$client" ? recordingClient : Reflect.get(t, p, r)) }),
    statements,
    // Identifier quotes dropped: statements name their tables through the schema ("prices" "p").
    texts: () => statements.map((s) => (typeof s === "string" ? s : s.sql).replaceAll('"', "")),
  };
}
