import { describe, expect, it } from "vitest";
import { PREVIEWED_FIELDS } from "../../src/services/import-preview";
import { fieldLabel } from "../../src/ui/components/preview-changes";
import { columnZh, zhMessage } from "../../src/ui/messages-zh";

/* What a pharmacist reads of the services' English messages: Chinese, keeping the values quoted. */
describe("service messages in Chinese on the pages", () => {
  it.each([
    ['"三块五" is not an amount of money', "“三块五”不是金额"],
    ["is required but empty", "必填，但是空的"],
    ["required column is missing (accepted headers: price, 进价, 采购价)", "缺少必需的列（可用的表头：price、进价、采购价）"],
    ["duplicates row 4 (the same product in the same batch)", "与第 4 行重复（同一批次的同一产品）"],
    ["the row has 3 cells but the header has 5", "这一行有 3 个单元格，表头有 5 个"],
    ['product "999999" does not exist', "没有编号为 999999 的产品"],
    ["the list has more than 50,000 lines; check it in parts (a month or a department at a time)", "清单超过 50000 行：请分几次比价（如每次一个月或一个科室）"],
    [
      'province "新疆（含兵团）" names 2 regions (新疆维吾尔自治区, 新疆生产建设兵团): ask for one of them',
      "省份“新疆（含兵团）”包含 2 个地区（新疆维吾尔自治区、新疆生产建设兵团）：请只选其中一个",
    ],
    ['from must be a month like 2022-03, not "2022-13"', "起始月份应如 2022-03，而不是“2022-13”"],
    ["columns ignored (not part of a prices file): 备注, 序号", "已忽略的列：备注、序号"],
    [
      'the file is an Excel workbook (.xlsx/.xls), not CSV; in Excel use "Save As" → "CSV UTF-8" and upload that',
      "这是 Excel 工作簿（.xlsx/.xls），不是 CSV：请在 Excel 里“另存为”→“CSV UTF-8”后上传",
    ],
    ["2 problem(s) in the file; the first: row 2 price: is required but empty", "文件有 2 处问题，第一处在第 2 行“进价”列：必填，但是空的"],
  ])("%s", (english, chinese) => {
    expect(zhMessage(english)).toBe(chinese);
  });

  it("keeps a message that is already Chinese, and shows an unknown one as it is rather than hiding it", () => {
    expect(zhMessage("管理令牌不正确，没有导入任何数据。")).toBe("管理令牌不正确，没有导入任何数据。");
    expect(zhMessage("something new went wrong")).toBe("something new went wrong");
  });

  it("names canonical columns by their Chinese header and leaves a file's own header alone", () => {
    expect(columnZh("chosenPrice")).toBe("中选价格");
    expect(columnZh("中选价格（元）")).toBe("中选价格（元）");
    expect(columnZh(null)).toBeNull();
  });
});

/* An import's preview lists what changes in a row by column: each column an import writes, in Chinese. */
describe("the import preview's column names", () => {
  it.each(Object.entries(PREVIEWED_FIELDS))("every column a %s import writes is named in Chinese", (_kind, fields) => {
    expect(fields?.length).toBeGreaterThan(3);
    for (const field of fields ?? []) expect(fieldLabel(field), field).toMatch(/^[\p{Script=Han}（）]+$/u);
  });
});
