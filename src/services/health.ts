import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { appMeta, batches, prices, products } from "../db/schema";
import { bareColumns } from "../db/trusted-sql";

const meta = bareColumns(appMeta);

/**
 * Throws unless the database answers a read of the tables every answer needs: a fresh empty or
 * replaced file answers `SELECT 1` too, so that alone would call a broken server healthy.
 */
export async function checkSchemaAnswers(db: Db): Promise<void> {
  await db.get(sql`SELECT (SELECT 1 FROM ${batches} LIMIT 1) AS b, (SELECT 1 FROM ${prices} LIMIT 1) AS p,
    (SELECT 1 FROM ${products} LIMIT 1) AS d, (SELECT ${meta.value} FROM ${appMeta} WHERE ${meta.key} = 'data_version') AS v`);
}
