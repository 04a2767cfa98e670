import { getTableColumns, getTableName, type SQL, sql, type Table } from "drizzle-orm";

/**
 * The one place SQL text enters a statement unescaped (`sql.raw`); test/architecture/trusted-sql.test.ts
 * fails when `sql.raw` appears anywhere else under src/.
 *
 * Allowed only for text our code builds from fixed pieces: identifiers and column lists taken from
 * the schema or from constants, statements written in the source (PRAGMA, temp tables, triggers),
 * and literals rendered by a function that cannot be broken out of (search-sql.ts's `textLiteral`,
 * `intLiteral`), which search inlines because bound parameters would pass D1's limit of 100 per
 * statement. Never text taken from a request, a file being imported or the database: those go in as
 * bound parameters (`sql\`… ${value}\``) or through such a literal function.
 */
export function trustedSql(text: string): SQL {
  return sql.raw(text);
}

/** A name quoted as an SQL identifier, inner quotes doubled: safe for any text, even a table name read back from the import journal. */
export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** quoteIdentifier as SQL. */
export const identifier = (name: string): SQL => sql.raw(quoteIdentifier(name));

/** A table's name from the schema, quoted: a rename in src/db/schema.ts renames it here too. */
export const tableRef = (table: Table): SQL => sql`${sql.identifier(getTableName(table))}`;

/** The SQL name of a table's column, from the schema (`genericName` → `generic_name`). */
export function columnName<T extends Table>(table: T, key: keyof T["_"]["columns"] & string): string {
  const column = (getTableColumns(table) as Record<string, { name: string } | undefined>)[key];
  if (!column) throw new Error(`no column ${key} in ${getTableName(table)}`);
  return column.name;
}

/**
 * A table's columns as their SQL names, from the schema (`genericName: "generic_name"`): for SQL
 * built as text (trustedSql), so a column renamed in src/db/schema.ts is renamed there too.
 */
export function columnNames<T extends Table>(table: T): { readonly [K in keyof T["_"]["columns"]]: string } {
  return Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name])) as { [K in keyof T["_"]["columns"]]: string };
}

/**
 * A table's columns as bare quoted identifiers (`"generic_name"`), from the schema: for statements
 * over one table unaliased, an INSERT's column list or an UPDATE's SET, where drizzle's own
 * `${table.column}` would qualify them with the table's name. Aliased tables use drizzle's alias().
 */
export function bareColumns<T extends Table>(table: T): { readonly [K in keyof T["_"]["columns"]]: SQL } {
  return Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, column]) => [key, sql`${sql.identifier(column.name)}`])) as {
    [K in keyof T["_"]["columns"]]: SQL;
  };
}

/** A list of SQL pieces joined by `, `. */
export const commaList = (parts: ReadonlyArray<SQL>): SQL => sql.join([...parts], sql`, `);
