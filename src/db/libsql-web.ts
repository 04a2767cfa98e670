import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import type { Db } from "./client";
import * as schema from "./schema";

/**
 * Turso / libSQL server over HTTP from an edge runtime. The web client speaks Hrana over fetch,
 * so it needs no Node APIs and no connection that outlives the request; `file:` URLs cannot work
 * here (there is no file system), which the Worker's configuration check says before we get here.
 */
export function openLibsqlWeb(url: string, authToken?: string): Db {
  const client = createClient({ url, authToken });
  // as unknown as: drizzle's libSQL database type declares its own batch() signature, narrower than Db's common one.
  return drizzle(client, { schema }) as unknown as Db;
}
