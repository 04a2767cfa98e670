import { getTableColumns, type Table } from "drizzle-orm";

type ColumnKey<T extends Table> = keyof T["_"]["columns"] & string;

/**
 * `ON CONFLICT(key…) DO UPDATE SET c = excluded.c, …, updated_at = <stamp> WHERE (c, …) IS NOT (excluded.c, …)`
 * as SQL text, every name taken from the schema: an import's upsert that leaves a row it would not
 * change alone, updated_at included, so importing the same file twice changes nothing. `stamp` is
 * the new updated_at (default the inserted row's own, `excluded.updated_at`).
 *
 * `silentWhenNull`: columns a file may leave out without saying they are empty (a source citation):
 * a null there does not make a row changed, so a table imported again without its citations leaves
 * each row as it is, cited; a row changed by its other columns takes the file's value, null, since
 * the old citation would no longer be the source of what it holds.
 */
export function upsertUnlessSame<T extends Table>(
  table: T,
  key: ReadonlyArray<ColumnKey<T>>,
  columns: ReadonlyArray<ColumnKey<T>>,
  opts: { stamp?: string; silentWhenNull?: ReadonlyArray<ColumnKey<T>> } = {},
): string {
  const all = getTableColumns(table) as Record<string, { name: string }>;
  const name = (k: string) => {
    const column = all[k];
    if (!column) throw new Error(`no column ${k}`);
    return column.name;
  };
  const cols = columns.map(name);
  const silent = new Set((opts.silentWhenNull ?? []).map(name));
  const compared = cols.filter((c) => !silent.has(c));
  const said = [...silent].map((c) => ` OR (excluded.${c} IS NOT NULL AND ${c} IS NOT excluded.${c})`).join("");
  const updatedAt = name("updatedAt");
  return `ON CONFLICT(${key.map(name).join(", ")}) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(", ")}, ${updatedAt} = ${opts.stamp ?? `excluded.${updatedAt}`}
  WHERE (${compared.join(", ")}) IS NOT (${compared.map((c) => `excluded.${c}`).join(", ")})${said}`;
}
