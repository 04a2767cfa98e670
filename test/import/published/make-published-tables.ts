/**
 * Makes the published-layout fixtures from the committed real workbook (seeds/source/…xlsx): for
 * national batches 2, 3 and 4, the table as a bureau or analyst hands it out, one sheet each, in
 * three forms: .xlsx (a merged title row above the header, the note row, formula cells with
 * cached values, numbers at full float precision), CSV UTF-8 with BOM, and CSV GB18030 as Excel
 * on a Chinese Windows machine saves it (CRLF, 15 significant digits). Run once; bytes committed:
 *
 *   npx tsx test/import/published/make-published-tables.ts
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import Papa from "papaparse";

const HERE = import.meta.dirname;
const WORKBOOK = join(HERE, "../../../seeds/source/national-vbp-results-batches-1-4.xlsx");
export const PUBLISHED = [
  { sheet: "第二轮集采", batch: "national-drug-2", file: "batch-2" },
  { sheet: "第三轮集采", batch: "national-drug-3", file: "batch-3" },
  { sheet: "第四轮集采", batch: "national-drug-4", file: "batch-4" },
] as const;

const source = new ExcelJS.Workbook();
await source.xlsx.readFile(WORKBOOK);
for (const { sheet, file } of PUBLISHED) {
  const ws = source.getWorksheet(sheet)!;
  const out = new ExcelJS.Workbook();
  const sheetOut = out.addWorksheet(sheet);
  const csvRows: string[][] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: true }, (row) => {
    width = Math.max(width, row.cellCount);
  });
  // Every table gets a title row merged across it, as bureaus publish them; the note row stays.
  const first = ws.getCell("A1").value;
  const hasTitle = typeof first === "string" && first !== "序号";
  const shift = hasTitle ? 0 : 1;
  if (!hasTitle) sheetOut.getCell("A1").value = `全国药品集中采购中选结果表（${sheet}）`;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const v = row.getCell(c).value as unknown;
      const target = sheetOut.getCell(r + shift, c);
      if (v && typeof v === "object" && "result" in (v as object)) {
        // Formulas keep their cached value; the formula text is a constant of the same value.
        const result = (v as { result: unknown }).result;
        target.value = { formula: typeof result === "number" ? String(result) : `"${String(result)}"`, result } as ExcelJS.CellFormulaValue;
        cells.push(excelCsvText(result));
      } else {
        target.value = v as ExcelJS.CellValue;
        cells.push(excelCsvText(v));
      }
    }
    csvRows.push(cells);
  }
  sheetOut.mergeCells(1, 1, 1, width);
  if (!hasTitle) csvRows.unshift([`全国药品集中采购中选结果表（${sheet}）`, ...Array(width - 1).fill("")]);
  await out.xlsx.writeFile(join(HERE, `${file}.xlsx`));
  const csv = `${Papa.unparse(csvRows, { newline: "\r\n" })}\r\n`;
  writeFileSync(join(HERE, `${file}-utf8-bom.csv`), `\ufeff${csv}`);
  execFileSync("python3", ["-c", "import sys; open(sys.argv[2],'wb').write(open(sys.argv[1],encoding='utf-8-sig').read().encode('gb18030'))",
    join(HERE, `${file}-utf8-bom.csv`), join(HERE, `${file}-gb18030.csv`)]);
  console.log(`${file}: ${csvRows.length} rows`);
}

/** A cell as Excel writes it to CSV: numbers with at most 15 significant digits. */
function excelCsvText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return String(Number(v.toPrecision(15)));
  if (typeof v === "object" && v && "richText" in v) return (v as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join("");
  return String(v);
}
