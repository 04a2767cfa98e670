import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { PRODUCT_PACK_KEYS } from "../db/rows";
import { bids, prices, products, regions } from "../db/schema";
import { bareColumns, renderedAlias } from "../db/trusted-sql";
import { formatYuan } from "../domain";
import type { WorkbookOpener } from "../import/open-file";
import { openWorkbookTable } from "../import/xlsx/read-workbook";
import { runImport } from "../services/imports";
import { importFiles } from "../services/seed";
import { openMigrated } from "./database";
import { type CeilingFix, expansionCeilings, type PilotBox } from "./expansion-ceilings";
import { fileSource } from "./file-source";
import { SEEDS_DIR, seedFiles } from "./files";

export const WORKBOOK = join(SEEDS_DIR, "source", "national-vbp-results-batches-1-4.xlsx");
export const REAL_SEEDS_FILE = join(SEEDS_DIR, "prices-national.csv");
/**
 * English names the workbook lacks, per batch and generic name as the workbook writes it, from the
 * 4+7 list of 25 names (test/fixtures/facts/national-batch1-names.csv; seeds/source/SOURCES.md).
 */
export const NAMES_EN_FILE = join(SEEDS_DIR, "source", "generic-names-en.csv");

/** Which sheet of the workbook holds which batch (seeds/source/SOURCES.md). */
export const REAL_SHEETS = [
  { sheet: "第一轮集采4+7", batch: "national-drug-1" },
  { sheet: "第一轮集采联盟地区", batch: "national-drug-1-expansion" },
  { sheet: "第二轮集采", batch: "national-drug-2" },
  { sheet: "第三轮集采", batch: "national-drug-3" },
  { sheet: "第四轮集采", batch: "national-drug-4" },
] as const;

const SOURCE_NOTE =
  "national-vbp-results-batches-1-4.xlsx (analyst workbook vbp.xlsx, github.com/ccpic/datasite commit c662c5b44aa490d380a1049f50b4a09c1eb87ec1)";

/** The CSV's columns, in file order; each row's query names its values by these. */
const COLUMNS = [
  "batch",
  "genericName",
  "genericNameEn",
  ...PRODUCT_PACK_KEYS,
  "manufacturerShort",
  "originator",
  "foreignFirm",
  "won",
  "chosenPrice",
  "ceilingPrice",
  "preVbpPrice",
  "supplyRegions",
  "source",
  "synthetic",
] as const;

// formatYuan already drops trailing zeros after the point; trimming again made 120 yuan "12" and 2500 "25".
const money = (v: unknown) => (v === null || v === undefined ? "" : formatYuan(BigInt(v as number)));
const flag = (v: unknown) => (v === null || v === undefined ? "" : v ? "true" : "false");
/** How a column's stored value is written: money as yuan without trailing zeros, flags as true/false, the rest as text. */
const CELL: Partial<Record<(typeof COLUMNS)[number], (v: unknown) => string>> = {
  originator: flag,
  foreignFirm: flag,
  won: flag,
  chosenPrice: money,
  ceilingPrice: money,
  preVbpPrice: money,
  synthetic: flag,
};

const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(bids, "b");
const g = renderedAlias(regions, "g");

/**
 * Imports every sheet of the workbook into a fresh database at `url` through the ordinary import
 * (the xlsx reader, headers, per-unit prices, regions, bids), then writes out what was stored as
 * one prices CSV of canonical columns: chosen prices and losing bids (won = false).
 */
export async function buildRealSeeds(url: string) {
  const handle = await openMigrated(url, undefined, { seed: false });
  try {
    await importFiles(
      handle.db,
      seedFiles().filter((f) => f.kind !== "prices"),
      "seed",
    );
    const counts = [];
    const ceilingFixes = new Map<number, CeilingFix>();
    for (const { sheet, batch } of REAL_SHEETS) {
      const source = fileSource(WORKBOOK);
      // The expansion's 最高限价 is per 4+7 box, not per unit (expansion-ceilings.ts); the pilot's sheet is imported before it.
      const readWorkbook: WorkbookOpener =
        batch === "national-drug-1-expansion"
          ? async (src, fields, options) =>
              expansionCeilings(await openWorkbookTable(src, fields, options), await pilotBoxes(handle.db), listedAs(batch), ceilingFixes)
          : openWorkbookTable;
      const report = await runImport(handle.db, {
        kind: "prices",
        source,
        sha256: source.sha256,
        fileName: "national-vbp-results-batches-1-4.xlsx",
        sheet,
        batch,
        sourceNote: SOURCE_NOTE,
        readWorkbook,
        actor: "build-real-seeds",
      });
      if (report.errors.length) throw new Error(`sheet ${sheet} was rejected: ${JSON.stringify(report.errors.slice(0, 5))}`);
      const [c] = await handle.db.all<{ prices: number; firms: number }>(sql`SELECT count(*) AS prices, count(DISTINCT ${pr.manufacturer}) AS firms
        FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId} WHERE ${p.batchId} = ${batch}`);
      const [lost] = await handle.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${bids} WHERE ${bareColumns(bids).batchId} = ${batch}`);
      counts.push({ sheet, batch, prices: c?.prices ?? 0, firms: c?.firms ?? 0, bids: lost?.n ?? 0 });
    }
    const batches = REAL_SHEETS.map((s) => s.batch);
    // Named as the CSV's COLUMNS; c is json_each's (key, value) over a price's supply region codes.
    const stored = await handle.db.all<Record<string, unknown>>(sql`SELECT ${p.batchId} AS batch, ${pr.genericName} AS genericName,
        ${pr.dosageForm} AS dosageForm, ${pr.spec} AS spec, ${pr.packageText} AS packageText, ${pr.packageQty} AS packageQty, ${pr.packageUnit} AS packageUnit,
        ${pr.smallestUnit} AS smallestUnit, ${pr.manufacturer} AS manufacturer, ${pr.manufacturerShort} AS manufacturerShort, ${pr.originator} AS originator, ${pr.foreignFirm} AS foreignFirm,
        1 AS won, ${p.chosenPriceE4} AS chosenPrice, ${p.ceilingPriceE4} AS ceilingPrice, ${p.preVbpPriceE4} AS preVbpPrice,
        (SELECT group_concat(name, '、') FROM (SELECT ${g.name} AS name FROM json_each('["' || replace(${p.supplyRegions}, ',', '","') || '"]') c
          JOIN ${regions} ${g} ON ${g.code} = c.value ORDER BY c.key)) AS supplyRegions, ${p.source} AS source, ${p.synthetic} AS synthetic, ${p.id} AS ord, 0 AS isBid
      FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId}
      WHERE ${p.batchId} IN (SELECT value FROM json_each(${JSON.stringify(batches)})) AND ${p.source} LIKE ${"national-vbp-results%"}
      UNION ALL
      SELECT ${b.batchId}, ${b.genericName}, ${b.dosageForm}, ${b.spec}, NULL, ${b.packageQty}, ${b.packageUnit}, ${b.smallestUnit}, ${b.manufacturer},
        ${b.manufacturerShort}, ${b.originator}, ${b.foreignFirm}, 0, ${b.bidPriceE4}, ${b.ceilingPriceE4}, ${b.preVbpPriceE4}, NULL, ${b.source},
        ${b.synthetic}, ${b.id}, 1
      FROM ${bids} ${b} WHERE ${b.batchId} IN (SELECT value FROM json_each(${JSON.stringify(batches)}))`);
    const order = new Map<string, number>(batches.map((id, i) => [id, i]));
    const rowOf = (s: unknown) => Number(/row (\d+)$/.exec(String(s))?.[1] ?? 0);
    stored.sort((x, y) => order.get(String(x.batch))! - order.get(String(y.batch))! || rowOf(x.source) - rowOf(y.source));
    const english = englishNames();
    for (const row of stored) row.genericNameEn = english.get(`${row.batch}\u0000${row.genericName}`) ?? null;
    const rows = stored.map((row) =>
      COLUMNS.map((c) => {
        const cell = CELL[c];
        const v = cell ? cell(row[c]) : row[c];
        return v === null || v === undefined ? "" : String(v);
      }),
    );
    const fixes = [...ceilingFixes.values()].sort((x, y) => x.row - y.row);
    return { csv: `${Papa.unparse([[...COLUMNS], ...rows], { newline: "\n" })}\n`, counts, ceilingFixes: fixes };
  } finally {
    handle.close();
  }
}

/** seeds/source/generic-names-en.csv: a name as a batch's sheet writes it, its English and its name in the 4+7 list. */
const listedNames = () =>
  Papa.parse<{ batch: string; genericName: string; genericNameEn: string; listedAs: string }>(readFileSync(NAMES_EN_FILE, "utf8"), {
    header: true,
    skipEmptyLines: true,
  }).data;

/** seeds/source/generic-names-en.csv by batch and generic name. */
export function englishNames(): Map<string, string> {
  return new Map(listedNames().map((r) => [`${r.batch}\u0000${r.genericName}`, r.genericNameEn]));
}

/** The 4+7 list name of a batch's generic name (the same drug across the pilot and its expansion). */
function listedAs(batch: string): (genericName: string) => string | undefined {
  const names = new Map(listedNames().flatMap((r) => (r.batch === batch ? [[r.genericName, r.listedAs] as const] : [])));
  return (genericName) => names.get(genericName);
}

/** The pilot's chosen boxes as stored, by their 4+7 list name (expansion-ceilings.ts). */
async function pilotBoxes(db: Awaited<ReturnType<typeof openMigrated>>["db"]): Promise<PilotBox[]> {
  const listed = listedAs("national-drug-1");
  const rows = await db.all<{ genericName: string; spec: string; packageQty: number; chosenPriceE4: number }>(sql`SELECT ${pr.genericName} AS genericName,
      ${pr.spec} AS spec, ${pr.packageQty} AS packageQty, ${p.chosenPriceE4} AS chosenPriceE4
    FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId} WHERE ${p.batchId} = ${"national-drug-1"} AND ${pr.packageQty} > 0`);
  return rows.flatMap((r) => {
    const name = listed(r.genericName);
    return name ? [{ listedAs: name, spec: r.spec, packageQty: r.packageQty, chosenPriceE4: BigInt(r.chosenPriceE4) }] : [];
  });
}
