import { getTableColumns, type Table } from "drizzle-orm";

type ColumnKey<T extends Table> = keyof T["_"]["columns"] & string;

/**
 * `ON CONFLICT(key…) DO UPDATE SET c = excluded.c, …, updated_at = <stamp> WHERE (c, …) IS NOT (excluded.c, …)`
 * as SQL text, every name taken from the schema: an import's upsert that leaves a row it would not
 * change alone, updated_at included, so importing the same file twice changes nothing. `stamp` is
 * the new updated_at (default the inserted row's own, `excluded.updated_at`).
 */
export function upsertUnlessSame<T extends Table>(table: T, key: ReadonlyArray<ColumnKey<T>>, columns: ReadonlyArray<ColumnKey<T>>, stamp?: string): string {
  const all = getTableColumns(table) as Record<string, { name: string }>;
  const name = (k: string) => {
    const column = all[k];
    if (!column) throw new Error(`no column ${k}`);
    return column.name;
  };
  const cols = columns.map(name);
  const updatedAt = name("updatedAt");
  return `ON CONFLICT(${key.map(name).join(", ")}) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(", ")}, ${updatedAt} = ${stamp ?? `excluded.${updatedAt}`}
  WHERE (${cols.join(", ")}) IS NOT (${cols.map((c) => `excluded.${c}`).join(", ")})`;
}
