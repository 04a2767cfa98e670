import { type SQL, sql } from "drizzle-orm";
import { appMeta } from "./schema";
import { bareColumns } from "./trusted-sql";

const meta = bareColumns(appMeta);

/**
 * The last statement of every import's atomic write: bumps the data version in app_meta, which
 * src/services/data-version.ts reads to know that cached answers are old.
 */
export const bumpDataVersion = (): SQL => sql`INSERT INTO ${appMeta} (${meta.key}, ${meta.value}) VALUES ('data_version', '1')
    ON CONFLICT(${meta.key}) DO UPDATE SET ${meta.value} = CAST(CAST(${meta.value} AS INTEGER) + 1 AS TEXT)`;
