import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KINDS } from "../../src/import/kinds";
import { type ByteSource, bytesSource } from "../../src/import/source";
import { openWorkbookTable, WorkbookError } from "../../src/import/xlsx/read-workbook";
import { zhImportMessage } from "../../src/ui/import-messages-zh";
import { zipBytes } from "../support/zip-bytes";

const REAL = readFileSync(join(import.meta.dirname, "../../seeds/source/national-vbp-results-batches-1-4.xlsx"));

/** Reads the sheet to its end; answers the rows read, or the error. Fails the test if it does not settle in 10 s. */
async function readAll(source: ByteSource): Promise<number | Error> {
  const read = (async () => {
    try {
      const table = await openWorkbookTable(source, KINDS.prices.fields, { sheet: "第三轮集采" });
      let rows = 0;
      for await (const chunk of table.records) rows += chunk.length;
      return rows;
    } catch (err) {
      return err as Error;
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the reader never settled")), 10_000);
  });
  try {
    return await Promise.race([read, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe("a broken .xlsx ends with an error that says so, never a hang", () => {
  it("reads the whole real workbook (batches 1–4): the control for the cuts below", async () => {
    expect(await readAll(bytesSource(REAL, 4096))).toBe(312);
  });

  it("a real workbook cut short anywhere says it is cut short, in English and in Chinese", async () => {
    // 4,000 bytes (inside the first sheet's entry) hung the import and kept the import page's lock.
    for (const size of [100, 4_000, 30_000, 120_000, REAL.length - 2_000, REAL.length - 30]) {
      const result = await readAll(bytesSource(REAL.subarray(0, size), 4096));
      expect(result, `cut at ${size} bytes`).toBeInstanceOf(WorkbookError);
      const message = (result as Error).message;
      expect(message).toBe("the workbook is cut short: the file ends before its last part; upload or copy the whole file again");
      expect(zhImportMessage(message)).toBe("工作簿不完整：文件在结尾之前就断了（上传或复制时中断？），请重新上传完整的文件");
    }
  });

  it("bytes overwritten at random places end in rows or a WorkbookError naming the reason", async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const outcomes = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const bytes = Buffer.from(REAL);
      const at = Math.floor(random() * bytes.length);
      for (let j = at; j < Math.min(at + 32, bytes.length); j++) bytes[j] = Math.floor(random() * 256);
      const result = await readAll(bytesSource(bytes, 4096));
      if (typeof result === "number") outcomes.add("rows");
      else {
        expect(result, `bytes ${at}–${at + 31} overwritten`).toBeInstanceOf(WorkbookError);
        expect(result.message).toMatch(/^the (file is not a readable \.xlsx workbook|workbook could not be read|workbook is cut short)/);
        outcomes.add("error");
      }
    }
    // Both happen: a damaged part the sheet does not need leaves its rows readable.
    expect(outcomes).toEqual(new Set(["rows", "error"]));
  });

  it("a workbook that inflates a thousandfold is refused before it fills the memory", async () => {
    const xml = (text: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${text}`);
    const main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const rels = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
    // 96 MB of shared strings in 0.1 MB: a thousandfold, where spreadsheet XML compresses 5 to 30 times.
    const strings = Buffer.concat([xml(`<sst ${main}><si><t>药品通用名</t></si><si><t>`), Buffer.alloc(96 * 1024 * 1024, "A"), Buffer.from("</t></si></sst>")]);
    const bomb = zipBytes([
      ["[Content_Types].xml", xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')],
      [
        "xl/workbook.xml",
        xml(
          `<workbook ${main} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
        ),
      ],
      ["xl/_rels/workbook.xml.rels", xml(`<Relationships ${rels}><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)],
      ["xl/worksheets/sheet1.xml", xml(`<worksheet ${main}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`)],
      ["xl/sharedStrings.xml", strings],
    ]);
    expect(bomb.length).toBeLessThan(200_000);
    const result = await readAll(bytesSource(bomb, 4096));
    expect(result).toBeInstanceOf(WorkbookError);
    const message = (result as Error).message;
    expect(message).toBe("the workbook inflates to more than 100 times its size, which no workbook saved by Excel or WPS does; it is refused");
    expect(zhImportMessage(message)).toBe("工作簿解压后超过文件大小的 100 倍，Excel 或 WPS 保存的工作簿不会这样，已拒绝");
  });

  it("an upload that fails half-way fails the read with its own error", async () => {
    const aborted: ByteSource = {
      size: REAL.length,
      async *open() {
        yield REAL.subarray(0, 50_000);
        throw new Error("the client closed the connection");
      },
    };
    const result = await readAll(aborted);
    expect(result).toBeInstanceOf(WorkbookError);
    expect((result as Error).message).toContain("the client closed the connection");
  });
});
