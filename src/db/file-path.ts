import { resolve } from "node:path";

/**
 * The absolute path of an embedded database's `file:` URL, as libSQL reads it (`file:./data/vbp.db`
 * is relative to the working directory; a query string is not part of the path). Null for a server
 * URL (libsql:, https:, ws:) and for an in-memory database.
 */
export function embeddedFilePath(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const path = url.slice("file:".length).replace(/\?.*$/, "");
  return path && path !== ":memory:" ? resolve(path) : null;
}
