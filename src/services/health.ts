import { getTableName } from "drizzle-orm";
import type { Db } from "../db/client";
import { appMeta, batches, prices, products } from "../db/schema";
import { columnNames, trustedSql } from "../db/trusted-sql";

const meta = columnNames(appMeta);
// Text built once from the schema: /health is probed often, and the statement never changes, so
// it is not rendered from drizzle's table and column objects on each probe.
const SCHEMA_PROBE = trustedSql(`SELECT (SELECT 1 FROM ${getTableName(batches)} LIMIT 1) AS b, (SELECT 1 FROM ${getTableName(prices)} LIMIT 1) AS p,
    (SELECT 1 FROM ${getTableName(products)} LIMIT 1) AS d, (SELECT ${meta.value} FROM ${getTableName(appMeta)} WHERE ${meta.key} = 'data_version') AS v`);

/**
 * Throws unless the database answers a read of the tables every answer needs: a fresh empty or
 * replaced file answers `SELECT 1` too, so that alone would call a broken server healthy.
 */
export async function checkSchemaAnswers(db: Db): Promise<void> {
  await db.get(SCHEMA_PROBE);
}
