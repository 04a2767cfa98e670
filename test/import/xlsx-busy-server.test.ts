import fs, { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { KINDS } from "../../src/import/kinds";
import { bytesSource } from "../../src/import/source";
import { openWorkbookTable } from "../../src/import/xlsx/read-workbook";
import { zhImportMessage } from "../../src/ui/import-messages-zh";
import { twoSheetWorkbook } from "../support/two-sheet-workbook";

const CALLBACK_APIS = ["open", "close", "read", "write", "writev", "stat", "fstat", "lstat", "unlink"] as const;

/**
 * Runs `fn` while every callback of node:fs answers `ms` later, as on a server whose disk and
 * thread pool are busy (a CI machine running two test files on two cores). exceljs and the temp
 * file library use these callbacks; the read of an in-memory upload needs the disk for nothing else.
 */
async function withSlowDisk<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = CALLBACK_APIS.map((name) => [name, target[name]!] as const);
  for (const [name, original] of originals) {
    target[name] = function (this: unknown, ...args: unknown[]) {
      const callback = args.at(-1);
      if (typeof callback === "function") args[args.length - 1] = (...result: unknown[]) => setTimeout(() => callback(...result), ms);
      return original.apply(this, args);
    };
  }
  try {
    return await fn();
  } finally {
    for (const [name, original] of originals) target[name] = original;
  }
}

/** Runs `fn` with the system's temp folder pointed at a fresh folder; answers what `fn` left in it. */
async function leftInTempFolder(fn: () => Promise<void>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "vbp-xlsx-temp-"));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return readdirSync(dir);
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readSheet(bytes: Uint8Array, sheet: string) {
  const table = await openWorkbookTable(bytesSource(bytes), KINDS.prices.fields, { sheet });
  const rows: string[][] = [];
  for await (const chunk of table.records) rows.push(...chunk.map((r) => r.cells));
  return { sheet: table.sheet, headers: table.header?.headers ?? null, rows };
}

describe(".xlsx uploads on a busy server", () => {
  it("reads the sheet asked for when the disk answers slowly, where the import page said 工作簿读取失败", async () => {
    // The reader used to lose the zip's last parts (shared strings, workbook.xml) whenever its
    // zip parser got to the end of the file before the first sheet was on disk.
    const reads = await withSlowDisk(10, async () => {
      const out = [];
      for (const compression of ["DEFLATE", "STORE"] as const) {
        const bytes = await twoSheetWorkbook({ compression });
        for (let i = 0; i < 3; i++) out.push(await readSheet(bytes, "第四批中选结果"));
      }
      return out;
    });
    for (const read of reads) {
      expect(read.sheet).toBe("第四批中选结果");
      expect(read.headers).toEqual(["批次", "药品通用名", "剂型", "规格", "包装", "中选企业", "中选价格", "最高有效申报价"]);
      expect(read.rows).toEqual([["national-drug-4", "阿托伐他汀钙片", "片剂", "40mg", "7片/盒", "演示制药", String(70 / 3), "40"]]);
    }
  });

  it("reads a workbook saved without compression, on an idle machine too", async () => {
    // Nothing to inflate: the zip's parser always outran the first sheet's copy to disk.
    const bytes = await twoSheetWorkbook({ compression: "STORE" });
    for (let i = 0; i < 5; i++) expect((await readSheet(bytes, "第四批中选结果")).rows).toHaveLength(1);
  });

  it("finds the sheet by its header when none is named, with a slow disk", async () => {
    const bytes = await twoSheetWorkbook();
    const table = await withSlowDisk(10, () => openWorkbookTable(bytesSource(bytes), KINDS.prices.fields));
    for await (const _ of table.records);
    expect(table.sheet).toBe("第四批中选结果");
  });

  it("keeps Chinese text whole where the zip's inflated pieces split a character (shared strings and sheet)", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("中选结果");
    sheet.addRow(["药品通用名", "中选价格", "供应地区"]);
    for (let i = 0; i < 3000; i++) {
      const row = sheet.addRow([`阿托伐他汀钙片${i}`, i + 1, ""]);
      // An inline string is written in the sheet's own XML, not in the shared strings.
      row.getCell(3).value = { richText: [{ text: `浙江省杭州市西湖区${i}` }] };
    }
    const rows = (await readSheet(new Uint8Array(await book.xlsx.writeBuffer()), "中选结果")).rows;
    expect(rows).toHaveLength(3000);
    expect(rows.filter((r) => r.join("").includes("\uFFFD"))).toEqual([]);
    expect(rows[2999]).toEqual(["阿托伐他汀钙片2999", "3000", "浙江省杭州市西湖区2999"]);
  });

  it("leaves nothing in the temp folder after reading a workbook, whichever sheet it stopped at", async () => {
    const bytes = await twoSheetWorkbook();
    const left = await leftInTempFolder(async () => {
      for (const sheet of ["第四批中选结果", "1"]) {
        const table = await openWorkbookTable(bytesSource(bytes), KINDS.prices.fields, { sheet });
        for await (const _ of table.records);
      }
    });
    expect(left).toEqual([]);
  });

  it("names what could not be read in a broken workbook, in the report and on the Chinese page, before or after the header", async () => {
    for (const brokenRow of [1, 40]) {
      const err = await readSheet(await brokenWorkbook(brokenRow), "中选结果").then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message, `row ${brokenRow}`).toMatch(/^the workbook could not be read \(.+\); save it again from Excel or WPS$/);
      const reason = /^the workbook could not be read \((.+)\); save it again/.exec(err!.message)![1]!;
      expect(reason).toMatch(/unmatched closing tag/);
      // The page shows the reason too, so a report of the failure names it.
      expect(zhImportMessage(err!.message)).toBe(`工作簿读取失败（原因：${reason}）：请在 Excel 或 WPS 里重新保存后上传`);
    }
  });
});

/**
 * A workbook of a header and 50 rows whose sheet XML is broken at row `row` (1 = the header): that
 * row is closed by a tag it never opened. Stored, not deflated, so the XML can be edited in place.
 */
async function brokenWorkbook(row: number): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("中选结果");
  sheet.addRow(["药品通用名", "中选价格"]);
  for (let i = 1; i <= 50; i++) sheet.addRow([`测试药品${i}`, i]);
  const stored = Buffer.from(await book.xlsx.writeBuffer({ zip: { compression: "STORE" } } as ExcelJS.XlsxWriteOptions));
  let at = -1;
  for (let i = 0; i < row; i++) at = stored.indexOf("</row>", at + 1);
  expect(at).toBeGreaterThan(0);
  stored.write("</rox>", at, "latin1");
  return stored;
}
