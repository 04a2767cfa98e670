/**
 * The import report in Chinese for the import page: the API keeps its English messages (stable
 * for integrators), a pharmacist on the page reads these. Each rule turns one English message
 * shape into Chinese, keeping the quoted cell text and numbers; `zhImportMessage` is applied to
 * every error and warning, and a test runs the whole bad-file corpus through it.
 */
type Rule = [RegExp, (...groups: string[]) => string];

const Q = '"((?:[^"]|"")*?)"';

const RULES: Rule[] = [
  [/^is required but empty$/, () => "必填，但是空的"],
  [/^is required but says "(.*)"$/, (v) => `必填，但写的是“${v}”`],
  [new RegExp(`^${Q} is not an amount of money$`), (v) => `“${v}”不是金额`],
  [new RegExp(`^${Q} is negative$`), (v) => `“${v}”是负数，金额不能为负`],
  [/^must be greater than 0$/, () => "必须大于 0"],
  [new RegExp(`^${Q} is not a whole number$`), (v) => `“${v}”不是整数`],
  [new RegExp(`^${Q} must be at least (\\d+)$`), (v, n) => `“${v}”至少应为 ${n}`],
  [new RegExp(`^${Q} is too large$`), (v) => `“${v}”太大`],
  [new RegExp(`^${Q} has more than 4 decimals$`), (v) => `“${v}”超过 4 位小数`],
  [new RegExp(`^${Q} is not a percentage with at most 2 decimals$`), (v) => `“${v}”不是最多 2 位小数的百分比`],
  [new RegExp(`^${Q} is not a share \\(write 70%, 70 or 0\\.7\\)$`), (v) => `“${v}”不是比例（可写 70%、70 或 0.7）`],
  [new RegExp(`^${Q} is ambiguous: 1 could be 1 % or 100 %; write 1% or 100%$`), (v) => `“${v}”有歧义：1 可能是 1% 也可能是 100%，请写 1% 或 100%`],
  [new RegExp(`^${Q} is more than 100 %$`), (v) => `“${v}”超过了 100%`],
  [new RegExp(`^${Q} has more than 2 decimals as a percentage$`), (v) => `“${v}”作为百分比超过 2 位小数`],
  [new RegExp(`^${Q} is not a reduction \\(write 52%, 52 or 0\\.52\\)$`), (v) => `“${v}”不是降幅（可写 52%、52 或 0.52）`],
  [new RegExp(`^${Q} is not a date like 2021-03-01( or 2021-03)?$`), (v, m) => `“${v}”不是日期，应写成 2021-03-01${m ? " 或 2021-03" : ""}`],
  [new RegExp(`^${Q} has no month (\\d+)$`), (v, n) => `“${v}”：没有 ${n} 月`],
  [new RegExp(`^${Q} has no day (\\d+)$`), (v, n) => `“${v}”：这个月没有 ${n} 日`],
  [new RegExp(`^${Q} is not true or false$`), (v) => `“${v}”不是“是”或“否”`],
  [new RegExp(`^${Q} is not one of (.*)$`), (v, list) => `“${v}”不是以下之一：${list}`],
  [/^is (\d+) characters long; at most (\d+) are allowed$/, (n, m) => `有 ${n} 个字符，最多 ${m} 个`],
  [/^region "(.*)" is unknown \(.*\)$/, (v) => `地区“${v}”不认识（请写已导入地区的名称、简称或 GB/T 2260 代码，如 内蒙古、150300）`],
  [/^region "(.*)" is unknown$/, (v) => `地区“${v}”不认识`],
  [/^batch "(.*)" is unknown; import it first \(kind=batches\)$/, (v) => `批次“${v}”不存在，请先导入这个批次（文件类型：集采批次）`],
  [/^is empty; add a batch column or pass the batch for the whole file.*$/, () => "为空：请在文件里加“批次”列，或在上方填写整个文件的批次编号"],
  [/^there is no batch column; .*$/, () => "文件没有“批次”列：请加上这一列，或在上方填写整个文件的批次编号（如 national-drug-4）"],
  [/^duplicates row (\d+) \(the same product in the same batch\)$/, (n) => `与第 ${n} 行重复（同一批次的同一产品）`],
  [/^duplicates row (\d+) \(the same key\)$/, (n) => `与第 ${n} 行重复`],
  [/^the row has (\d+) cells but the header has (\d+)$/, (n, m) => `这一行有 ${n} 个单元格，表头有 ${m} 个`],
  [/^the row is invalid$/, () => "这一行有误"],
  [
    /^required column is missing \(accepted headers: (.*?)(?:; "(.*?)" looks like ([^;]*))?; or map a column by hand.*\)$/,
    (list, near, like) => `缺少必需的列（可用的表头：${list}）${near ? `；“${near}”像是“${like}”` : ""}；也可以在“列对应”里手动指定`,
  ],
  [/^this column appears twice$/, () => "这一列出现了两次"],
  [/^the file has a header but no data rows$/, () => "文件只有表头，没有数据行"],
  [/^the file is empty$/, () => "文件是空的"],
  [/^the sheet is empty$/, () => "工作表是空的"],
  [/^no header row found in the first (\d+) rows; expected columns such as (.*)$/, (n, list) => `前 ${n} 行里没有找到表头，应有这些列：${list}`],
  [/^sheet "(.*?)": (.*)$/, (s, rest) => `工作表“${s}”：${zhImportMessage(rest)}`],
  [/^CSV syntax: a quoted field is never closed.*$/, () => 'CSV 格式错误：引号没有闭合（缺少一个 "）'],
  [/^CSV syntax: a quoted field has text after its closing quote.*$/, () => 'CSV 格式错误：引号闭合后还有文字（单元格里的引号要写成 ""）'],
  [/^CSV syntax: (.*)$/, (m) => `CSV 格式错误：${m}`],
  [/^row (\d+) is longer than (\d+) MB; .*$/, (n, mb) => `第 ${n} 行超过 ${mb} MB，可能有引号没有闭合`],
  [
    /^the file is (UTF-16|UTF-32) \((little|big)-endian[^)]*\).*$/,
    (u, e) => `文件是 ${u} 编码（${e === "little" ? "小端" : "大端"}）：请另存为 UTF-8，在 Excel 里“另存为”→“CSV UTF-8”`,
  ],
  [
    /^the file looks like (UTF-16|UTF-32) \((little|big)-endian\) without a byte order mark.*$/,
    (u, e) => `文件看起来是没有字节顺序标记的 ${u} 编码（${e === "little" ? "小端" : "大端"}）：请另存为 UTF-8，在 Excel 里“另存为”→“CSV UTF-8”`,
  ],
  [
    /^another import holds the database's write lock: this dry run's audit entry .*$/,
    () => "另一个导入正占用数据库写锁：这次试运行的审计记录会在它结束后写入（在此之前审计编号为 0）",
  ],
  [/^the file is UTF-16.*$/, () => "文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请在 Excel 里另存为“CSV UTF-8”或“CSV”后再上传"],
  [/^the file is not text \(it contains NUL bytes\).*$/, () => "文件不是文本（含有 NUL 字节）：请把表格另存为 CSV 或 .xlsx 后上传"],
  [/^the file is neither valid UTF-8 nor valid GB18030.*$/, () => "文件既不是有效的 UTF-8 也不是有效的 GB18030：请在 Excel 里另存为“CSV UTF-8”后再上传"],
  [
    /^the file starts with a UTF-8 byte order mark but is not valid UTF-8.*$/,
    () => "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8：请在 Excel 里重新另存为“CSV UTF-8”",
  ],
  [/^the file is not valid UTF-8 near byte (\d+)$/, (n) => `文件在第 ${n} 字节附近不是有效的 UTF-8`],
  [
    /^the file is an Excel workbook \(\.xlsx\), which this server cannot read.*$/,
    () => "这是 Excel 工作簿（.xlsx），本服务器（Cloudflare Workers）不能读取：请用命令行导入（npm run import），或在 Excel 里另存为“CSV UTF-8”后上传",
  ],
  [/^the file is an Excel workbook \(\.xlsx\/\.xls\), not CSV.*$/, () => "这是 Excel 工作簿，不是 CSV：请在 Excel 里另存为“CSV UTF-8”后上传"],
  [
    /^this is a legacy Excel 97-2003 workbook \(\.xls\).*$/,
    () => "这是旧版 Excel 97-2003 工作簿（.xls），不能直接导入：请在 Excel 或 WPS 里“另存为” Excel 工作簿（.xlsx）或 CSV 后再上传",
  ],
  [/^the workbook inflates to more than (\d+) times its size.*$/, (n) => `工作簿解压后超过文件大小的 ${n} 倍，Excel 或 WPS 保存的工作簿不会这样，已拒绝`],
  [/^the workbook is cut short: .*$/, () => "工作簿不完整：文件在结尾之前就断了（上传或复制时中断？），请重新上传完整的文件"],
  // The reason stays as the reader gave it (English, from exceljs or the zip): it is what a report of the failure needs.
  [
    /^the file is not a readable \.xlsx workbook \((.*)\); save it again from Excel or WPS$/,
    (why) => `文件不是可读取的 .xlsx 工作簿（原因：${why}）：请在 Excel 或 WPS 里重新保存后上传`,
  ],
  [/^the file is not a readable \.xlsx workbook.*$/, () => "文件不是可读取的 .xlsx 工作簿：请在 Excel 或 WPS 里重新保存后上传"],
  [/^the workbook could not be read \((.*)\); save it again from Excel or WPS$/, (why) => `工作簿读取失败（原因：${why}）：请在 Excel 或 WPS 里重新保存后上传`],
  [/^the workbook could not be read.*$/, () => "工作簿读取失败：请在 Excel 或 WPS 里重新保存后上传"],
  [/^the workbook has no worksheets$/, () => "工作簿里没有工作表"],
  [/^the workbook has no sheet "(.*?)"; its sheets are (.*)$/, (s, list) => `工作簿里没有工作表“${s}”，现有工作表：${list}`],
  [
    /^no sheet has a header row with the required columns \((.*?)\) in its first (\d+) rows; sheets: (.*?)\. .*$/,
    (cols, n, list) => `没有哪个工作表的前 ${n} 行里有含必需列（${cols}）的表头；工作表有：${list}。请在“工作表”里指定，或在“列对应”里手动指定列`,
  ],
  [
    /^(.*) per smallest unit does not agree with (.*) per package(?: ÷ (\d+))? \((.*)\); give one of them or correct one$/,
    (u, p, q, col) => `最小单位价格 ${u} 与每包装价格 ${p}${q ? ` ÷ ${q}` : ""}（${col}）对不上：只填其中一个，或改正其中一个`,
  ],
  [/^the file says (.*), the prices give (.*?)( \(--strict\))?$/, (said, got) => `文件写的降幅是 ${said}，按价格算出来是 ${got.replace(/ \/ /g, " 或 ")}`],
  [/^is required with a reference price: .*$/, () => "有参考价时必填：ceiling（最高有效申报价）或 pre_vbp（集采前价格）"],
  [/^no chosen price in batch "(.*?)" matches (.*)$/, (b, p) => `批次“${b}”里没有与“${p}”对应的中选价格`],
  [/^is empty and so is genericName; .*$/, () => "为空，药品通用名也为空：采购量必须用医保编码，或用名称、剂型、规格和企业指明产品"],
  [/^is empty and so are nhsaCode and approvalNo; .*$/, () => "为空，医保编码和批准文号也为空：每一行都要指明产品"],
  [/^parent region "(.*)" is unknown$/, (v) => `上级地区“${v}”不存在`],
  [/^a region cannot be its own parent$/, () => "地区不能是自己的上级"],
  [/^"(.*)" is not an administrative code .*$/, (v) => `“${v}”不是行政区划代码（GB/T 2260 数字，如 150300）`],
  [/^"(.*)" may contain only letters, digits, '\.', '_' and '-' \(it appears in URLs\)$/, (v) => `“${v}”只能含字母、数字、“.”、“_”和“-”（它会出现在网址里）`],
  [/^ends \((.*)\) before it starts \((.*)\)$/, (e, s) => `结束日期（${e}）早于开始日期（${s}）`],
  [/^column mapping: "(.*)" is not a mapping; .*$/, (v) => `列对应“${v}”写法不对：应写成 字段=表头，如 chosenUnitPrice=竞标价格（最小规格）（元）`],
  [/^column mapping: "(.*)" is not a field of this kind; fields: (.*)$/, (v, list) => `列对应里的“${v}”不是这类文件的字段，可用字段：${list}`],
  [/^there is no saved import profile "(.*)"; .*$/, (v) => `没有名为“${v}”的导入方案：请先在一次导入时用“保存为方案”保存`],
  [/^import profile "(.*)" is for (\w+) files, not (\w+)$/, (v, a, b) => `导入方案“${v}”用于 ${a} 文件，不能用于 ${b} 文件`],
  [/^profile name "(.*)" may hold only .*$/, (v) => `方案名“${v}”只能含字母、数字、“.”、“_”和“-”，最多 64 个字符`],
  [/^the import failed: (.*)$/, (m) => `导入失败：${m}`],
  // Warnings
  [/^read sheet "(.*)" \(header in row (\d+)\)$/, (s, n) => `读取了工作表“${s}”（表头在第 ${n} 行）`],
  [
    /^columns ignored \(not part of a (\w+) file\): (.*)$/,
    (_k, list) => `以下列不属于这类文件，已忽略：${list.replace(/\(did you mean (.*?)\?\)/g, "（是不是“$1”？）")}`,
  ],
  [
    /^(\d+) amount cell\(s\) had more than 4 decimals and were rounded half-up to 4 \(first rows: (.*)\)$/,
    (n, rows) => `${n} 个金额单元格超过 4 位小数，已四舍五入到 4 位（最先几行：${rows}）`,
  ],
  [
    /^chosen price is above the reference price \(a negative reduction\) in (\d+) row\(s\): (.*)$/,
    (n, rows) => `${n} 行的中选价格高于参考价（降幅为负）：${rowsZh(rows)}`,
  ],
  [
    /^the reduction computed from the prices differs from the file's own 降幅 by more than 0\.01 percentage points in (\d+) row\(s\): (.*); check that .*$/,
    (n, rows) =>
      `${n} 行按价格算出的降幅与文件里的“降幅”相差超过 0.01 个百分点：${rowsZh(rows)}；请检查各价格列是每包装还是每最小单位（把最小单位价格当成每盒价格，就会在这里看出来）`,
  ],
  [
    /^the reduction against the ceiling \(最高有效申报价\) is above 90 % for (\d+) of the (\d+) prices that have one \((.*)\); a ceiling per package .*$/,
    (n, all, rows) =>
      `有最高有效申报价的 ${all} 个价格中，${n} 个对它的降幅超过 90 %：${rowsZh(rows)}；每包装的最高价配上每最小单位的价格就会这样，请检查最高价一列是否和价格一样按最小单位计`,
  ],
  [
    /^renewal \(续约\) of a batch that is not stored in (\d+) row\(s\): (.*): imported without the link to the price it renews; .*$/,
    (n, rows) => `${n} 行续约的批次尚未保存：${rowsZh(rows)}；这些行已导入，但没有关联到被续约的价格。请先导入该批次及其价格，再导入本文件一次以建立关联`,
  ],
  [
    /^renewal \(续约\) whose batch has no price of the same product in (\d+) row\(s\): (.*?)( \(a dry run checks against what is stored, not this file's own prices\))?: kept without the link; .*$/,
    (n, rows, dry) =>
      `${n} 行续约的批次里没有同一产品的价格：${rowsZh(rows)}${dry ? "（试导入只对照已保存的数据，不包括本文件自己的价格）" : ""}；已导入但没有关联。请先导入那个价格，再导入本文件一次以建立关联`,
  ],
  [/^(\d+) losing bid\(s\) .*$/, (n) => `${n} 个未中选的报价（是否中标 = 否 或 流标）已作为落选报价保存，不算中选价格`],
  [
    /^rows left out: (.*)$/,
    (parts) =>
      `以下行未导入：${parts
        .replace(/(\d+) row\(s\) a strength listed without a chosen firm or price/g, "$1 行只列了规格、没有中选企业和价格")
        .replace(/(\d+) row\(s\) are notes \(注：…\)/g, "$1 行是注释（注：…）")
        .replace(/\(rows ([^)]*)\)/g, "（第 $1 行）")}`,
  ],
  [/^saved the column mapping( and sheet)? as profile "(.*)" .*$/, (sheet, v) => `已把列对应${sheet ? "和工作表" : ""}保存为导入方案“${v}”`],
  [/^(\d+) more errors are not listed$/, (n) => `另有 ${n} 个错误未列出`],
];

function rowsZh(rows: string): string {
  return rows
    .replace(/row (\d+) \(reduction (-?[\d.]+) %\)/g, "第 $1 行（降幅 $2%）")
    .replace(/row (\d+) \(batch "([^"]*)"\)/g, "第 $1 行（批次“$2”）")
    .replace(/row (\d+) \(([^()]*)\)/g, "第 $1 行（$2）")
    .replace(/ and (\d+) more$/, "等，另有 $1 行")
    .replace(/）, (?=第)/g, "）、");
}

export function zhImportMessage(message: string): string {
  return knownImportMessage(message) ?? `导入提示：${message}`;
}

/** The Chinese of a message these rules know (the file readers' too: other pages that read files show them), else null. */
export function knownImportMessage(message: string): string | null {
  for (const [pattern, render] of RULES) {
    const m = pattern.exec(message);
    if (m) return render(...m.slice(1).map((g) => g ?? ""));
  }
  return null;
}
