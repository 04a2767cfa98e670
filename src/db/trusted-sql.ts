import { type Column, getTableColumns, getTableName, SQL, type SQLChunk, StringChunk, sql, Table } from "drizzle-orm";

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
export const identifier = (name: string): SQL => trustedSql(quoteIdentifier(name));

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
 * `${table.column}` would qualify them with the table's name. Aliased tables use renderedAlias below.
 * Each is text, rendered once at load, which foldedSql folds into the text around it.
 */
export function bareColumns<T extends Table>(table: T): { readonly [K in keyof T["_"]["columns"]]: SQL } {
  return Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, column]) => [key, identifier(column.name)])) as {
    [K in keyof T["_"]["columns"]]: SQL;
  };
}

/** A list of SQL pieces joined by `, `. */
export const commaList = (parts: ReadonlyArray<SQL>): SQL => sql.join([...parts], sql`, `);

/** A table alias whose columns are rendered once: itself renders as the alias (`"ps"`), each column as `"ps"."name_id"`. */
export type RenderedAlias<T extends Table> = StringChunk & { readonly [K in keyof T["_"]["columns"]]: StringChunk };

/**
 * A table alias for statements written as `sql` text: the names come from the schema, so a renamed
 * column still fails typecheck, but each is rendered once, at load. drizzle's own alias() renders a
 * column anew through two proxies in every statement and finds each chunk's kind by walking its
 * prototypes, where text chunks take its first, cheapest branch: rendering the seed searches' SQL
 * took 880 ms of CPU with alias() and 305 ms with this (3,200 searches, cpu-prof). Not for the query
 * builder (`db.select().from(…)`), which needs drizzle's own alias().
 */
export function renderedAlias<T extends Table>(table: T, name: string): RenderedAlias<T> {
  const self = new StringChunk(quoteIdentifier(name));
  const bySchemaColumn = new Map<Column, StringChunk>();
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (key in self) throw new Error(`column ${key} of ${getTableName(table)} would shadow the chunk's own ${key}`);
    const chunk = new StringChunk(`${quoteIdentifier(name)}.${quoteIdentifier(column.name)}`);
    Object.defineProperty(self, key, { value: chunk, enumerable: true });
    bySchemaColumn.set(column, chunk);
  }
  schemaColumns.set(self, bySchemaColumn);
  return self as RenderedAlias<T>;
}

/** Each rendered alias's columns by their schema column, for aliasedColumn. */
const schemaColumns = new WeakMap<StringChunk, Map<Column, StringChunk>>();

/**
 * A schema column under a rendered alias (`batches.name` under "b" → `"b"."name"`), for field lists
 * that name their columns through the schema (a query builder's select) and are also written as SQL text.
 */
export function aliasedColumn(alias: StringChunk, column: Column): StringChunk {
  const chunk = schemaColumns.get(alias)?.get(column);
  if (!chunk) throw new Error(`column ${column.name} is not a column of the table aliased as ${alias.value.join("")}`);
  return chunk;
}

/** Each table's name as foldedSql writes it, quoted. */
const tableNames = new WeakMap<Table, string>();

/** drizzle's key for a table's schema (internal to its Table class, so not in its types). */
const TABLE_SCHEMA = Symbol.for("drizzle:Schema");

/** A table's name as SQL text (drizzle's own rendering for a table of no schema, ours), kept per table; null for a table in a schema. */
function tableText(table: Table): string | null {
  // as unknown as: a table's schema is kept under a symbol that drizzle's types leave out.
  if ((table as unknown as Record<symbol, unknown>)[TABLE_SCHEMA] !== undefined) return null;
  let name = tableNames.get(table);
  if (name === undefined) tableNames.set(table, (name = quoteIdentifier(getTableName(table))));
  return name;
}

/**
 * The text of a statement made of text and tables alone (search's: its values are inlined
 * literals, its columns rendered once), or null when some chunk is anything else (a bound value, a
 * drizzle column), which drizzle then renders. drizzle finds each chunk's kind by up to four tests
 * that walk its class's prototypes when they fail, and copies its settings for every nested
 * fragment: for a search's 2–6 KB of nested fragments that was an eighth of its time outside SQLite
 * (cpu-prof of a listing under a province, at a million prices).
 */
export function plainText(query: SQL): string | null {
  let text = "";
  const walk = (chunks: readonly SQLChunk[]): boolean => {
    for (const chunk of chunks) {
      if (chunk instanceof StringChunk) text += chunk.value.join("");
      else if (chunk instanceof SQL) {
        if (!walk(chunk.queryChunks)) return false;
      } else {
        const name = chunk instanceof Table ? tableText(chunk) : null;
        if (name === null) return false;
        text += name;
      }
    }
    return true;
  };
  return walk(query.queryChunks) ? text : null;
}

/**
 * The text of a fragment that is text only (a text chunk, a table, or SQL whose chunks are text
 * chunks or such SQL of one chunk), else null.
 */
function textOf(value: unknown): string | null {
  if (value instanceof StringChunk) return value.value.join("");
  if (value instanceof Table) return tableText(value);
  if (!(value instanceof SQL)) return null;
  let text = "";
  for (const chunk of value.queryChunks) {
    if (chunk instanceof StringChunk) text += chunk.value.join("");
    else if (chunk instanceof SQL && chunk.queryChunks.length === 1 && chunk.queryChunks[0] instanceof StringChunk) text += chunk.queryChunks[0].value.join("");
    else return null;
  }
  return text;
}

/**
 * drizzle's `sql` tag for statements built on every request (search, product answers): a value that
 * is text only (a table, a renderedAlias or bareColumns column, a literal of search-sql.ts, a
 * fragment built so) is folded into the text around it when the fragment is built, so a statement
 * naming its columns through the schema is a few text chunks rather than two chunks per column,
 * each built, checked for a table and rendered. Anything else (a bound value, a drizzle column)
 * stays a chunk of its own, rendered as by `sql`.
 * Searches without read threads spent a tenth of their time in drizzle's tag and the garbage it made.
 */
export function foldedSql(strings: TemplateStringsArray, ...values: unknown[]): SQL {
  const chunks: SQLChunk[] = [];
  let text = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    const folded = textOf(values[i]);
    if (folded !== null) text += folded;
    else {
      if (text) chunks.push(new StringChunk(text));
      chunks.push(values[i] as SQLChunk);
      text = "";
    }
    text += strings[i + 1] ?? "";
  }
  if (text || chunks.length === 0) chunks.push(new StringChunk(text));
  return new SQL(chunks);
}
