import type { Client } from "@libsql/client";

export interface StorageLine {
  table: string;
  tableBytes: number;
  indexBytes: number;
}

/**
 * Bytes on disk per table and per table's indexes, from SQLite's `dbstat` virtual table (compiled
 * into libSQL): every page is counted once, so the lines sum to the file minus its free pages.
 */
export async function storageByTable(client: Client): Promise<StorageLine[]> {
  const result = await client.execute(`SELECT s.tbl_name AS tbl, s.type AS type, SUM(d.pgsize) AS bytes
    FROM dbstat d JOIN sqlite_schema s ON s.name = d.name GROUP BY 1, 2`);
  const byTable = new Map<string, StorageLine>();
  for (const row of result.rows) {
    const table = String(row.tbl);
    const line = byTable.get(table) ?? { table, tableBytes: 0, indexBytes: 0 };
    if (row.type === "index") line.indexBytes += Number(row.bytes);
    else line.tableBytes += Number(row.bytes);
    byTable.set(table, line);
  }
  return [...byTable.values()].sort((a, b) => b.tableBytes + b.indexBytes - (a.tableBytes + a.indexBytes));
}

/** One line per group of tables: bytes, and bytes per volume row, with and without the indexes. */
export function storageReport(lines: StorageLine[], volumeRows: number): string[] {
  const groups: Array<{ label: string; match: (t: string) => boolean }> = [
    { label: "volumes", match: (t) => t === "volumes" },
    { label: "savings + purchase rollups", match: (t) => /rollup/.test(t) },
    { label: "import journal", match: (t) => t.startsWith("import_journal") },
    { label: "everything else", match: () => true },
  ];
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  const out: string[] = [];
  const taken = new Set<string>();
  let total = 0;
  let totalIndexes = 0;
  for (const group of groups) {
    const mine = lines.filter((l) => !taken.has(l.table) && group.match(l.table));
    for (const l of mine) taken.add(l.table);
    const data = mine.reduce((s, l) => s + l.tableBytes, 0);
    const indexes = mine.reduce((s, l) => s + l.indexBytes, 0);
    total += data + indexes;
    totalIndexes += indexes;
    out.push(
      `  ${group.label.padEnd(28)} ${mb(data).padStart(9)} data + ${mb(indexes).padStart(9)} indexes = ${((data + indexes) / volumeRows).toFixed(1).padStart(6)} bytes per volume row (${(data / volumeRows).toFixed(1)} without indexes)`,
    );
  }
  out.push(
    `  ${"all pages".padEnd(28)} ${mb(total - totalIndexes).padStart(9)} data + ${mb(totalIndexes).padStart(9)} indexes = ${(total / volumeRows).toFixed(1).padStart(6)} bytes per volume row (${((total - totalIndexes) / volumeRows).toFixed(1)} without indexes)`,
  );
  return out;
}
