import { join } from "node:path";
import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { PRODUCT_PACK_KEYS } from "../db/rows";
import { formatYuan } from "../domain";
import { openWorkbookTable } from "../import/xlsx/read-workbook";
import { runImport } from "../services/imports";
import { importFiles } from "../services/seed";
import { openMigrated } from "./database";
import { fileSource } from "./file-source";
import { SEEDS_DIR, seedFiles } from "./files";

export const WORKBOOK = join(SEEDS_DIR, "source", "national-vbp-results-batches-1-4.xlsx");
export const REAL_SEEDS_FILE = join(SEEDS_DIR, "prices-national.csv");

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

const money = (v: unknown) => (v === null || v === undefined ? "" : formatYuan(BigInt(v as number)).replace(/\.?0+$/, ""));
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
    for (const { sheet, batch } of REAL_SHEETS) {
      const source = fileSource(WORKBOOK);
      const report = await runImport(handle.db, {
        kind: "prices",
        source,
        sha256: source.sha256,
        fileName: "national-vbp-results-batches-1-4.xlsx",
        sheet,
        batch,
        sourceNote: SOURCE_NOTE,
        readWorkbook: openWorkbookTable,
        actor: "build-real-seeds",
      });
      if (report.errors.length) throw new Error(`sheet ${sheet} was rejected: ${JSON.stringify(report.errors.slice(0, 5))}`);
      const [c] = await handle.db.all<{ prices: number; firms: number }>(sql`SELECT count(*) AS prices, count(DISTINCT pr.manufacturer) AS firms
        FROM prices p JOIN products pr ON pr.id = p.product_id WHERE p.batch_id = ${batch}`);
      const [b] = await handle.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM bids WHERE batch_id = ${batch}`);
      counts.push({ sheet, batch, prices: c?.prices ?? 0, firms: c?.firms ?? 0, bids: b?.n ?? 0 });
    }
    const batches = REAL_SHEETS.map((s) => s.batch);
    const prices = await handle.db.all<Record<string, unknown>>(sql`SELECT p.batch_id AS batch, pr.generic_name AS genericName,
        pr.dosage_form AS dosageForm, pr.spec, pr.package_text AS packageText, pr.package_qty AS packageQty, pr.package_unit AS packageUnit,
        pr.smallest_unit AS smallestUnit, pr.manufacturer, pr.manufacturer_short AS manufacturerShort, pr.originator, pr.foreign_firm AS foreignFirm,
        1 AS won, p.chosen_price_e4 AS chosenPrice, p.ceiling_price_e4 AS ceilingPrice, p.pre_vbp_price_e4 AS preVbpPrice,
        (SELECT group_concat(name, '、') FROM (SELECT g.name FROM json_each('["' || replace(p.supply_regions, ',', '","') || '"]') c
          JOIN regions g ON g.code = c.value ORDER BY c.key)) AS supplyRegions, p.source, p.synthetic, p.id AS ord, 0 AS isBid
      FROM prices p JOIN products pr ON pr.id = p.product_id
      WHERE p.batch_id IN (SELECT value FROM json_each(${JSON.stringify(batches)})) AND p.source LIKE ${"national-vbp-results%"}
      UNION ALL
      SELECT b.batch_id, b.generic_name, b.dosage_form, b.spec, NULL, b.package_qty, b.package_unit, b.smallest_unit, b.manufacturer,
        b.manufacturer_short, b.originator, b.foreign_firm, 0, b.bid_price_e4, b.ceiling_price_e4, b.pre_vbp_price_e4, NULL, b.source,
        b.synthetic, b.id, 1
      FROM bids b WHERE b.batch_id IN (SELECT value FROM json_each(${JSON.stringify(batches)}))`);
    const order = new Map<string, number>(batches.map((b, i) => [b, i]));
    const rowOf = (s: unknown) => Number(/row (\d+)$/.exec(String(s))?.[1] ?? 0);
    prices.sort((a, b) => order.get(String(a.batch))! - order.get(String(b.batch))! || rowOf(a.source) - rowOf(b.source));
    const rows = prices.map((p) =>
      COLUMNS.map((c) => {
        const cell = CELL[c];
        const v = cell ? cell(p[c]) : p[c];
        return v === null || v === undefined ? "" : String(v);
      }),
    );
    return { csv: `${Papa.unparse([[...COLUMNS], ...rows], { newline: "\n" })}\n`, counts };
  } finally {
    handle.close();
  }
}
