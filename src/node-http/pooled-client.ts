import type { Client, InArgs, InStatement, ResultSet } from "@libsql/client";
import { isPlainRead, type ReadPool, statementParts } from "./read-pool";

/**
 * A libSQL client whose plain reads run on the read pool's threads and whose writes, batches and
 * transactions run on the server's own connection (`current()`, which may be replaced after a busy
 * error). Services and drizzle use it like any client, so no read path needs to know about threads.
 */
export function pooledClient(current: () => Client, pool: ReadPool): Client {
  const execute = (stmt: InStatement | string, args?: InArgs): Promise<ResultSet> => {
    const statement: InStatement = typeof stmt === "string" && args !== undefined ? { sql: stmt, args } : stmt;
    const parts = statementParts(statement);
    if (parts && isPlainRead(parts.sql)) return pool.execute(parts.sql, parts.args);
    return current().execute(statement);
  };
  return new Proxy({} as Client, {
    get(_target, prop) {
      if (prop === "execute") return execute;
      const client = current();
      const value = Reflect.get(client, prop, client) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(client) : value;
    },
  });
}
