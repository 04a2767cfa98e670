import ExcelJS from "exceljs";

/**
 * The workbook the import page's test uploads (test/e2e/pages.e2e.test.ts) and the reader's tests
 * read: a note sheet first, batch 4's results on the second under a merged title row, and, as
 * exceljs and other writers save one, the shared strings and workbook.xml stored after the sheets.
 * `priceHeader` names the chosen-price column (a name the importer knows, or one the user maps).
 */
export async function twoSheetWorkbook({ priceHeader = "中选价格", compression = "DEFLATE" as "DEFLATE" | "STORE" } = {}): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet("说明").addRows([["本工作簿第二个工作表为中选结果"]]);
  const sheet = book.addWorksheet("第四批中选结果");
  sheet.addRow(["全国药品集中采购中选结果表"]);
  sheet.mergeCells("A1:H1");
  sheet.addRow(["批次", "药品通用名", "剂型", "规格", "包装", "中选企业", priceHeader, "最高有效申报价"]);
  sheet.addRow(["national-drug-4", "阿托伐他汀钙片", "片剂", "40mg", "7片/盒", "演示制药", 70 / 3, 40]);
  return new Uint8Array(await book.xlsx.writeBuffer({ zip: { compression } } as ExcelJS.XlsxWriteOptions));
}
