import { knownImportMessage } from "./import-messages-zh";

/**
 * What the pages show of a service's message, in Chinese. The services and the API speak English
 * with stable codes (integrators match on those); a pharmacist reads these. Known sentences are
 * rewritten piece by piece, keeping the values they quote; one this table does not know is shown
 * as it is rather than hidden.
 */
const FIELD_NAMES: Record<string, string> = {
  batch: "批次",
  genericName: "通用名",
  dosageForm: "剂型",
  spec: "规格",
  packageText: "包装",
  packageQty: "转换比",
  packageUnit: "单位",
  manufacturer: "生产企业",
  chosenPrice: "中选价格",
  referencePrice: "参考价",
  referenceKind: "参考价类型",
  ceilingPrice: "最高有效申报价",
  preVbpPrice: "集采前价格",
  supplyRegions: "供应地区",
  agreedVolume: "约定采购量",
  nhsaCode: "医保编码",
  approvalNo: "批准文号",
  category: "类别",
  region: "地区",
  month: "月份",
  fundShare: "基金支付比例",
  parentCode: "上级地区",
  code: "地区编码",
  price: "进价",
  quantity: "数量",
  cycleStart: "采购周期开始",
  cycleEnd: "采购周期结束",
  id: "编号",
  name: "名称",
};

/** A column as the reader knows it: the Chinese header for a canonical field name, else as given. */
export function columnZh(column: string | null): string | null {
  if (column === null) return null;
  return FIELD_NAMES[column] ?? column;
}

const fields = (list: string) =>
  list
    .split(/,\s*/)
    .map((f) => FIELD_NAMES[f] ?? f)
    .join("、");

const RULES: Array<[RegExp, (...m: string[]) => string]> = [
  [/^is required but empty$/, () => "必填，但是空的"],
  [/^must be greater than 0$/, () => "必须大于 0"],
  [/^must be between 0 and 100 percent$/, () => "必须在 0 % 到 100 % 之间"],
  [/^"(.*)" is not a whole number$/, (v) => `“${v}”不是整数`],
  [/^"(.*)" is not an amount of money$/, (v) => `“${v}”不是金额`],
  [/^"(.*)" is not a percentage with at most 2 decimals$/, (v) => `“${v}”不是最多两位小数的百分数`],
  [/^"(.*)" is too large$/, (v) => `“${v}”太大`],
  [/^"(.*)" is negative$/, (v) => `“${v}”是负数`],
  [/^"(.*)" has more than 4 decimals$/, (v) => `“${v}”超过 4 位小数`],
  [/^"(.*)" must be at least (.*)$/, (v, n) => `“${v}”不能小于 ${n}`],
  [/^"(.*)" is not a date like (\S+)(?: or (\S+))?$/, (v, a, b) => `“${v}”不是日期（应如 ${a}${b ? ` 或 ${b}` : ""}）`],
  [/^"(.*)" has no month (\d+)$/, (v, m) => `“${v}”没有 ${m} 月`],
  [/^"(.*)" has no day (\d+)$/, (v, d) => `“${v}”那个月没有 ${d} 日`],
  [/^"(.*)" is not true or false$/, (v) => `“${v}”应为 是/否`],
  [/^"(.*)" is not one of (.*)$/, (v, list) => `“${v}”不是可选的值（${list}）`],
  [/^is (\d+) characters long; at most (\d+) are allowed$/, (n, max) => `有 ${n} 个字符，最多 ${max} 个`],
  [/^is empty; add a batch column or pass the batch for the whole file.*$/, () => "是空的：请加上“批次”列，或填写整个文件所属的批次编号"],
  [/^there is no batch column.*$/, () => "没有“批次”列：请加上这一列，或填写整个文件所属的批次编号"],
  [/^batch "(.*)" is unknown; import it first.*$/, (b) => `批次“${b}”不存在，请先导入这个批次`],
  [/^is empty and so are nhsaCode and approvalNo; a line must name its product$/, () => "是空的，医保编码和批准文号也是空的：每一行都要写明是哪个产品"],
  [/^is empty and so is genericName; a volume must name its product.*$/, () => "是空的，通用名也是空的：每一行都要用编码或通用名、剂型、规格、企业写明产品"],
  [/^is required with a reference price.*$/, () => "有参考价时必填：最高有效申报价（ceiling）或集采前价格（pre_vbp）"],
  [/^no chosen price in batch "(.*)" matches (.*)$/, (b, p) => `批次“${b}”里没有与“${p}”对应的中选价格`],
  [/^region "(.*)" is unknown.*$/, (r) => `地区“${r}”不认识（请写已导入地区的名称或行政区划代码）`],
  [/^parent region "(.*)" is unknown$/, (r) => `上级地区“${r}”不存在`],
  [/^a region cannot be its own parent$/, () => "地区不能是自己的上级"],
  [/^"(.*)" is not an administrative code.*$/, (c) => `“${c}”不是行政区划代码（GB/T 2260 数字，如 150300）`],
  [/^"(.*)" may contain only letters, digits.*$/, (id) => `“${id}”只能含字母、数字和 . _ -（它会出现在网址里）`],
  [/^ends \((.*)\) before it starts \((.*)\)$/, (e, s) => `结束日期（${e}）早于开始日期（${s}）`],
  [/^this column appears twice$/, () => "这一列出现了两次"],
  [/^required column is missing \(accepted headers: (.*)\)$/, (h) => `缺少必需的列（可用的表头：${h.split(/,\s*/).join("、")}）`],
  [/^no header row found in the first (\d+) rows; expected columns such as (.*)$/, (n, h) => `前 ${n} 行里没有找到表头，应有 ${fields(h)} 等列`],
  [/^the file has a header but no (?:data rows|lines)$/, () => "文件只有表头，没有数据行"],
  [/^the file is empty$/, () => "文件是空的"],
  [/^the row has (\d+) cells but the header has (\d+)$/, (a, b) => `这一行有 ${a} 个单元格，表头有 ${b} 个`],
  [/^duplicates row (\d+) \(the same product in the same batch\)$/, (r) => `与第 ${r} 行重复（同一批次的同一产品）`],
  [/^duplicates row (\d+).*$/, (r) => `与第 ${r} 行重复`],
  [/^the row is invalid$/, () => "这一行有误"],
  [/^CSV syntax: (.*)$/, (d) => `CSV 格式有误：${d}`],
  [/^row (\d+) is longer than (\S+) MB.*$/, (r, mb) => `第 ${r} 行超过 ${mb} MB，多半是有个引号（"）没有闭合`],
  [/^the file is not text.*$/, () => "文件不是文本（含有 NUL 字节）：请在 Excel 里另存为 CSV 后上传"],
  [/^the file is neither valid UTF-8 nor valid GB18030.*$/, () => "文件既不是 UTF-8 也不是 GB18030 编码：请在 Excel 里另存为“CSV UTF-8”后重试"],
  [/^the file is not valid UTF-8 near byte (\d+)$/, (b) => `文件在第 ${b} 字节附近不是有效的 UTF-8`],
  [/^the file is UTF-16.*$/, () => "文件是 UTF-16（Excel 的“Unicode 文本”）：请在 Excel 里另存为“CSV UTF-8”或“CSV”后重试"],
  [/^the file is an Excel workbook.*$/, () => "这是 Excel 工作簿（.xlsx/.xls），不是 CSV：请在 Excel 里“另存为”→“CSV UTF-8”后上传"],
  [/^the list has more than ([\d,]+) lines; .*$/, (n) => `清单超过 ${n.replace(/,/g, "")} 行：请分几次比价（如每次一个月或一个科室）`],
  [
    /^the purchase list is an Excel workbook \(\.xlsx\), which this server cannot read.*$/,
    () => "这是 Excel 工作簿（.xlsx），本服务器（Cloudflare Workers）不能读取：请在 Excel 里“另存为”→“CSV UTF-8”后上传",
  ],
  [/^columns ignored(?: \(not part of a (\w+) file\))?: (.*)$/, (_k, cols) => `已忽略的列：${cols.split(/,\s*/).join("、")}`],
  [/^(\d+) more errors are not listed$/, (n) => `另有 ${n} 处错误没有列出`],
  [/^the import failed: (.*)$/, (m) => `导入失败：${zhMessage(m)}`],
  [
    /^(\d+) problem\(s\) in the file; the first: row (\d+)(?: (\S+))?: (.*)$/,
    (n, r, c, m) => `文件有 ${n} 处问题，第一处在第 ${r} 行${c ? `“${columnZh(c)}”列` : ""}：${zhMessage(m)}`,
  ],
  [/^region (".*") is neither a known code nor a name$/, (r) => `地区 ${r} 既不是已知的代码也不是已知的名称`],
  [
    /^(region|province) (".*") names (\d+) regions \((.*)\): ask for one of them$/,
    (kind, r, n, names) => `${kind === "province" ? "省份" : "地区"}“${r.slice(1, -1)}”包含 ${n} 个地区（${names.split(", ").join("、")}）：请只选其中一个`,
  ],
  [/^(from|to) must be a month like 2022-03, not "(.*)"$/, (f, v) => `${f === "from" ? "起始月份" : "截止月份"}应如 2022-03，而不是“${v}”`],
  [/^from \((.*)\) is after to \((.*)\)$/, (a, b) => `起始月份（${a}）晚于截止月份（${b}）`],
  [/^cursor .*start again without it$/, () => "翻页参数已失效，请从第一页重新开始"],
  [
    /^(product|price|batch|region) "(.*)" does not exist$/,
    (kind, id) => `没有编号为 ${id} 的${{ product: "产品", price: "中选价格", batch: "批次", region: "地区" }[kind] ?? "数据"}`,
  ],
  [
    /^(product|price|batch|region) (.*) (?:was )?not found$/,
    (kind, id) => `没有编号为 ${id.replace(/^"|"$/g, "")} 的${{ product: "产品", price: "中选价格", batch: "批次", region: "地区" }[kind] ?? "数据"}`,
  ],
  [/^too many requests from this address; retry after (\d+) s$/, (s) => `这个地址的请求太频繁，请 ${s} 秒后再试`],
  [/^too many failed admin token attempts from this address; retry after (\d+) s$/, (s) => `这个地址输错管理令牌的次数太多，请 ${s} 秒后再试`],
  [/^the database is busy; retry shortly$/, () => "数据库正忙，请稍后再试"],
  [/^the database's disk is full.*$/, () => "数据库所在的磁盘已满，这次请求没有写入任何数据"],
];

/** A service message in Chinese (or as it came, when it is already Chinese or not known here). */
export function zhMessage(message: string): string {
  const text = message.trim();
  if (/[\u4e00-\u9fff]/.test(text) && !/^[\x00-\x7f]/.test(text.replace(/"[^"]*"/g, ""))) return text;
  for (const [pattern, rewrite] of RULES) {
    const m = pattern.exec(text);
    if (m) return rewrite(...m.slice(1).map((x) => x ?? ""));
  }
  // The file readers' messages (a workbook cut short, a legacy .xls…) reach the price-check page as they reach imports.
  return knownImportMessage(text) ?? text;
}
