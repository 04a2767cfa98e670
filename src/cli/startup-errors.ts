/** Turns a database failure at start-up into a sentence that says what to do. */
export function describeStartupError(err: unknown, url: string): string {
  const raw =
    err instanceof Error ? `${err.message} ${(err as { code?: string }).code ?? ""} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
  const where = url.replace(/\?.*$/, "");
  if (/NOTADB|not a database|file is encrypted/i.test(raw)) {
    return `the database ${where} is not a readable SQLite database (corrupt, truncated or another kind of file). Restore it from a backup, or move it away and start again to get a fresh database with the seed data.`;
  }
  if (/SQLITE_CORRUPT|malformed/i.test(raw)) {
    return `the database ${where} is corrupt ("database disk image is malformed"). Restore it from a backup; \`sqlite3 <file> .recover\` may save its rows.`;
  }
  if (/CANTOPEN|unable to open|EACCES|EROFS|ENOENT|ENOTDIR|EEXIST/i.test(raw)) {
    return `cannot open the database ${where}: check that the folder exists and is writable by this user, or set DATABASE_URL to another file.`;
  }
  if (/SQLITE_FULL|disk is full|ENOSPC/i.test(raw)) {
    return `the disk holding ${where} is full: free some space and start again.`;
  }
  if (/SQLITE_BUSY|locked/i.test(raw)) {
    return `the database ${where} is locked by another process: stop the other server or import first.`;
  }
  return `cannot use the database ${where}: ${err instanceof Error ? err.message : String(err)}`;
}
