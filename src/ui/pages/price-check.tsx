import type { Context } from "hono";
import Papa from "papaparse";
import { base64ToBytes, bytesToBase64 } from "../../base64";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { PAGE_FORM_MESSAGES, readForm } from "../../middleware/upload-body";
import { checkPurchaseList, PRICE_CHECK_CLASS_LABELS } from "../../services/price-check";
import { type SheetCell, type SheetColumn, type SpreadsheetWriter, XLSX_CONTENT_TYPE } from "../../services/spreadsheet";
import { templateLines } from "../../services/template-lines";
import { BarChart } from "../charts/bar-chart";
import { ProvinceSelect } from "../components/province-select";
import { RowErrorsTable, type RowIssue } from "../components/row-errors-table";
import { count, money, price, priceColumn } from "../format";
import { Layout } from "../layout";
import { zhMessage } from "../messages-zh";
import { chooseProvince, type ProvinceChoice } from "../province";

type Check = Awaited<ReturnType<typeof checkPurchaseList>>;
type Line = Check["data"][number];
type Issue = RowIssue;

const RULE_LABELS: Record<string, string> = {
  nhsaCode: "按医保编码匹配",
  approvalNo: "按批准文号匹配",
  nameSpecManufacturer: "按通用名、规格、企业匹配",
};

/**
 * A purchase list to start from, in the columns the check reads (UTF-8 with BOM, so Excel shows the
 * Chinese). Its example lines are real chosen products this server holds that the remembered
 * province (or `province=`) can buy (see template-lines.ts).
 */
export async function priceCheckTemplate(c: Context<AppEnv>) {
  const place = await chooseProvince(c);
  const lines = await templateLines(c.get("deps").db, place.code ?? undefined);
  const csv = Papa.unparse({
    fields: ["医保编码", "批准文号", "通用名", "剂型", "规格", "包装", "生产企业", "进价", "数量"],
    data: lines.length
      ? lines.map((l) => ["", "", l.genericName, l.dosageForm, l.spec, l.packageText, l.manufacturer, l.price, l.quantity])
      : [["", "", "阿托伐他汀钙片", "片剂", "20mg", "7片/盒", "（生产企业）", "5.2", "100"]],
  });
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", 'attachment; filename="purchase-list-template.csv"');
  return c.body(`\uFEFF${csv}\r\n`);
}

function UploadForm(props: { place: ProvinceChoice }) {
  return (
    <form class="panel" method="post" action="/price-check" enctype="multipart/form-data">
      <div class="field">
        <label for="province">医院所在省份（会记住）</label>
        <ProvinceSelect place={props.place} describedBy="province-hint" />
        <span id="province-hint" class="hint">
          只对照供应这个省份、正在执行的中选价格（全国性的中选价格各省都算）。
        </span>
      </div>
      <div class="field">
        <label for="file">采购清单（Excel 或 CSV）</label>
        <input
          id="file"
          name="file"
          type="file"
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
          aria-describedby="file-hint"
        />
        <span id="file-hint" class="hint">
          需要“进价”（或采购价、单价）和“数量”列，以及医保编码、批准文号或通用名+规格+企业之一。Excel 工作簿（.xlsx）默认读第一个有这些列的工作表；CSV 用 UTF-8
          或 GB18030 均可。
          <a href="/price-check/template.csv">下载模板</a>
        </span>
      </div>
      <div class="field">
        <label for="sheet">工作表（Excel，可不填）</label>
        <input id="sheet" name="sheet" type="text" maxlength={100} aria-describedby="sheet-hint" />
        <span id="sheet-hint" class="hint">
          工作簿里有几个月的清单时，填要比价的工作表名称（如“11月”）或第几个工作表（如 2）。
        </span>
      </div>
      <div class="actions">
        <button type="submit">比价</button>
      </div>
    </form>
  );
}

function product(line: Line): string {
  const i = line.input;
  const name = [i.genericName, i.spec, i.manufacturer].filter(Boolean).join(" ");
  return name || i.nhsaCode || i.approvalNo || `第 ${line.row} 行`;
}

/** Problem lines first: above the chosen price, then a chosen alternative exists, then no match; fine lines last. */
const CLASS_ORDER: Record<Line["class"], number> = { above_chosen_price: 0, alternative_available: 1, no_equivalent: 2, at_chosen_price: 3 };
export const orderLines = (lines: Line[]) => [...lines].sort((a, b) => CLASS_ORDER[a.class] - CLASS_ORDER[b.class] || a.row - b.row);

/** Why a line got its class, naming what the list gave or lacked (e.g. 规格). */
export function reasonOf(l: Line): string {
  const i = l.input;
  const ref = l.chosen ?? l.alternative;
  switch (l.class) {
    case "at_chosen_price":
      return `${l.matchedBy ? RULE_LABELS[l.matchedBy] : "已匹配"}，进价不高于中选价`;
    case "above_chosen_price":
      return `${l.matchedBy ? RULE_LABELS[l.matchedBy] : "已匹配"}，每单位比中选价高 ${price(l.overpayPerUnit)} 元`;
    case "alternative_available":
      return i.manufacturer
        ? `${i.manufacturer} 的这个产品不是中选产品；同通用名同规格的中选产品是 ${ref?.product.manufacturer ?? "其他企业"} 的`
        : `清单没有写生产企业，无法确认是不是中选产品；同通用名同规格有中选产品`;
    case "no_equivalent": {
      const missing = [!i.genericName && "通用名", !i.spec && "规格"].filter(Boolean);
      if (!i.genericName && !i.nhsaCode && !i.approvalNo) return "清单没有写通用名、医保编码或批准文号，无法匹配";
      if (i.nhsaCode && !i.genericName) return `医保编码 ${i.nhsaCode} 没有对应的中选产品；补上通用名和规格可再按名称查找`;
      if (missing.length) return `缺少${missing.join("、")}，无法查找同规格的中选产品`;
      return `没有“${i.genericName} ${i.spec}”的中选产品（通用名和规格都要相同）`;
    }
  }
}

/** The result's columns, in the same order and words as the table, for the CSV and the workbook. */
const RESULT_COLUMNS: SheetColumn[] = [
  { header: "行", kind: "integer" },
  { header: "通用名", kind: "text" },
  { header: "规格", kind: "text" },
  { header: "生产企业", kind: "text" },
  { header: "医保编码", kind: "text" },
  { header: "判定", kind: "text" },
  { header: "原因", kind: "text" },
  { header: "进价（元）", kind: "price" },
  { header: "数量", kind: "integer" },
  { header: "实付单价（元）", kind: "price" },
  { header: "中选单价（元）", kind: "price" },
  { header: "中选产品", kind: "text" },
  { header: "多付（元）", kind: "money" },
  { header: "换用可省（元）", kind: "money" },
];

function resultRows(lines: Line[]): SheetCell[][] {
  return lines.map((l) => {
    const ref = l.chosen ?? l.alternative;
    return [
      l.row,
      l.input.genericName ?? "",
      l.input.spec ?? "",
      l.input.manufacturer ?? "",
      l.input.nhsaCode ?? "",
      PRICE_CHECK_CLASS_LABELS[l.class],
      reasonOf(l),
      l.input.price,
      l.input.quantity,
      l.paidUnitPrice ?? null,
      ref?.unitPrice ?? null,
      ref ? [ref.product.genericName, ref.product.spec, ref.product.manufacturer, ref.batch.name].filter(Boolean).join(" ") : "",
      l.class === "above_chosen_price" ? (l.overpayTotal ?? null) : null,
      l.class === "alternative_available" ? (l.savingIfSwitched ?? null) : null,
    ];
  });
}

/** The result as CSV (UTF-8 with BOM, so Excel shows the Chinese). */
function resultCsv(lines: Line[]): string {
  return `\uFEFF${Papa.unparse({ fields: RESULT_COLUMNS.map((c) => c.header), data: resultRows(lines).map((r) => r.map((v) => v ?? "")) })}\r\n`;
}

/** The result as an .xlsx workbook, numbers as numbers; null where this runtime has no writer (Workers). */
async function resultXlsx(write: SpreadsheetWriter, lines: Line[]): Promise<Uint8Array> {
  const rows = resultRows(lines);
  async function* each() {
    yield* rows;
  }
  return new Uint8Array(await new Response(write([{ name: "比价结果", columns: RESULT_COLUMNS, rows: each() }])).arrayBuffer());
}

function Verdict(props: { line: Line }) {
  const l = props.line;
  const warn = l.class === "above_chosen_price";
  return (
    <>
      <span class={warn ? "bad" : l.class === "at_chosen_price" ? "good" : ""}>{PRICE_CHECK_CLASS_LABELS[l.class]}</span>
      <br />
      <span class="note reason">{reasonOf(l)}</span>
    </>
  );
}

/** Lists up to this size are carried in the result page so the workbook can be made on request. */
const CARRY_LIMIT_BYTES = 1024 * 1024;

function Results(props: { check: Check; data: Line[]; carry: { fileBase64: string; province: string; sheet: string } | null; provinceName: string | null }) {
  const { meta } = props.check;
  const data = props.data;
  const t = meta.totals;
  const csvHref = `data:text/csv;charset=utf-8,${encodeURIComponent(resultCsv(data))}`;
  const paidCol = priceColumn(data.map((l) => l.input.price));
  const unitCol = priceColumn(data.map((l) => l.paidUnitPrice));
  const refCol = priceColumn(data.map((l) => (l.chosen ?? l.alternative)?.unitPrice));
  const perUnitCol = priceColumn(data.map((l) => (l.class === "above_chosen_price" ? l.overpayPerUnit : null)));
  return (
    <section aria-labelledby="result-heading" id="check-result">
      <div class="summary">
        <h2 id="result-heading">比价结果</h2>
        <span class="downloads">
          下载结果：
          <a href={csvHref} download="比价结果.csv" id="result-csv">
            CSV
          </a>
          {props.carry ? (
            <form class="inline-download" method="post" action="/price-check/result.xlsx">
              <input type="hidden" name="fileBase64" value={props.carry.fileBase64} />
              <input type="hidden" name="province" value={props.carry.province} />
              <input type="hidden" name="sheet" value={props.carry.sheet} />
              {" · "}
              <button type="submit" class="link" id="result-xlsx">
                Excel（.xlsx）
              </button>
            </form>
          ) : null}
        </span>
      </div>
      <p class="note">
        对照{props.provinceName ? `供应${props.provinceName}的` : "全国的"}
        、正在执行的中选价格。有问题的行排在前面：先是高于中选价的，再是有中选产品可换用的，然后是没有对应中选产品的。
      </p>
      <div class="keyfigures">
        <div class="keyfigure">
          <div class="k">清单行数</div>
          <div class="v">{count(meta.total)}</div>
          <div class="s">采购金额 {money(t.amountPaid)} 元</div>
        </div>
        <div class="keyfigure">
          <div class="k">高于中选价</div>
          <div class="v">{count(t.byClass.above_chosen_price)} 行</div>
          <div class="s">多付合计 {money(t.overpayTotal)} 元</div>
        </div>
        <div class="keyfigure">
          <div class="k">非中选，有中选替代</div>
          <div class="v">{count(t.byClass.alternative_available)} 行</div>
          <div class="s">换用可省 {money(t.savingIfSwitchedTotal)} 元</div>
        </div>
        <div class="keyfigure">
          <div class="k">按中选价 / 无对应</div>
          <div class="v">
            {count(t.byClass.at_chosen_price)} / {count(t.byClass.no_equivalent)} 行
          </div>
          <div class="s">无对应：没有同通用名同规格的中选产品</div>
        </div>
      </div>
      <BarChart
        id="check-classes"
        title="各判定的行数"
        description={(Object.keys(PRICE_CHECK_CLASS_LABELS) as Line["class"][]).map((k) => `${PRICE_CHECK_CLASS_LABELS[k]}：${t.byClass[k]} 行`).join("；")}
        series={[{ label: "行数", style: "solid" }]}
        rows={(Object.keys(PRICE_CHECK_CLASS_LABELS) as Line["class"][]).map((k) => ({
          label: PRICE_CHECK_CLASS_LABELS[k],
          values: [t.byClass[k]],
          displays: [`${t.byClass[k]} 行`],
        }))}
      />
      {meta.warnings.length ? (
        <ul class="note">
          {meta.warnings.map((w) => (
            <li>{zhMessage(w)}</li>
          ))}
        </ul>
      ) : null}
      <div class="table-wrap">
        <table class="cards" id="check-lines">
          <caption class="visually-hidden">每行的判定</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                行
              </th>
              <th scope="col">产品</th>
              <th scope="col">判定</th>
              <th scope="col" class="num">
                进价
              </th>
              <th scope="col" class="num">
                实付单价
              </th>
              <th scope="col" class="num">
                中选单价
              </th>
              <th scope="col" class="num">
                每单位差价
              </th>
              <th scope="col" class="num">
                多付 / 换用可省
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((l) => {
              const ref = l.chosen ?? l.alternative;
              const perUnit = l.class === "above_chosen_price" ? l.overpayPerUnit : null;
              const total = l.class === "above_chosen_price" ? l.overpayTotal : l.class === "alternative_available" ? l.savingIfSwitched : null;
              return (
                <tr>
                  <td class="num" data-label="行">
                    {l.row}
                  </td>
                  <td class="lead-cell" data-label="产品">
                    {product(l)}
                    {ref ? (
                      <span class="note">
                        {" "}
                        →{" "}
                        <a href={`/products/${ref.product.id}`}>
                          {[ref.product.genericName, ref.product.spec, ref.product.manufacturer].filter(Boolean).join(" ")}
                        </a>
                        （{ref.batch.name}）
                      </span>
                    ) : null}
                  </td>
                  <td data-label="判定">
                    <Verdict line={l} />
                  </td>
                  <td data-label="进价" class="num">
                    {paidCol(l.input.price)} 元 × {count(l.input.quantity)}
                  </td>
                  <td data-label="实付单价" class="num">
                    {l.paidUnitPrice === null ? "—" : `${unitCol(l.paidUnitPrice)} 元`}
                    {l.packageAssumed ? <span class="tag">按中选产品包装</span> : null}
                  </td>
                  <td data-label="中选单价" class="num">
                    {ref ? `${refCol(ref.unitPrice)} 元` : "—"}
                  </td>
                  <td data-label="每单位差价" class="num">
                    {perUnit === null ? "—" : <span class="bad">多付 {perUnitCol(perUnit)} 元</span>}
                  </td>
                  <td data-label="多付 / 可省" class="num">
                    {total === null ? (
                      "—"
                    ) : l.class === "above_chosen_price" ? (
                      <span class="bad">多付 {money(total)} 元</span>
                    ) : (
                      <span class="good">可省 {money(total)} 元</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Problems(props: { message: string; issues: Issue[] }) {
  return (
    <section aria-labelledby="problems-heading">
      <h2 id="problems-heading">清单有误</h2>
      <p class="alert" role="alert">
        这份清单不能比价，请改正后重新上传：{zhMessage(props.message)}
      </p>
      {props.issues.length ? <RowErrorsTable id="check-errors" issues={props.issues} /> : null}
    </section>
  );
}

function page(c: Context<AppEnv>, place: ProvinceChoice, body: { check?: Check; bytes?: Uint8Array; problem?: { message: string; issues: Issue[] } }) {
  const data = body.check ? orderLines(body.check.data) : [];
  // The workbook is made when asked for (POST /price-check/result.xlsx with the list carried here), where the runtime can write one.
  const carry =
    body.check && body.bytes && body.bytes.length <= CARRY_LIMIT_BYTES && c.get("deps").spreadsheets
      ? { fileBase64: bytesToBase64(body.bytes), province: place.code ?? "", sheet: body.check.meta.sheet ?? "" }
      : null;
  return c.html(
    <Layout title="比价" nav="price-check">
      <h1>采购清单比价</h1>
      <p class="lead">上传医院的采购清单，逐行对照中选价格：是否按中选价采购、高出多少，或有没有可以换用的中选产品。</p>
      {body.problem ? <Problems message={body.problem.message} issues={body.problem.issues} /> : null}
      {body.check ? <Results check={body.check} data={data} carry={carry} provinceName={place.name} /> : null}
      <h2>{body.check || body.problem ? "再比一份" : "上传清单"}</h2>
      <UploadForm place={place} />
    </Layout>,
  );
}

/** 比价, the form. */
export async function priceCheckPage(c: Context<AppEnv>) {
  return page(c, await chooseProvince(c), {});
}

/** The form's 工作表 field: a workbook's sheet by name or position; empty means the first with the list's columns. */
const sheetOf = (form: Record<string, unknown>): string | undefined =>
  typeof form.sheet === "string" && form.sheet.trim() !== "" ? form.sheet.trim().slice(0, 100) : undefined;

/** 比价, the posted list: every line's class and the totals. A list with errors is a report too (200). */
export async function priceCheckSubmit(c: Context<AppEnv>) {
  const form = await readForm(c, PAGE_FORM_MESSAGES);
  const file = form.file;
  const asked = form.province;
  const place = await chooseProvince(c, typeof asked === "string" ? asked : undefined);
  if (!(file instanceof File) || file.size === 0) return page(c, place, { problem: { message: "请选择要上传的采购清单（Excel 或 CSV 文件）。", issues: [] } });
  try {
    // The hospital's province is the service's filter (province=): only prices it can buy, in force today.
    const bytes = new Uint8Array(await file.arrayBuffer());
    const check = await checkPurchaseList(
      c.get("deps").db,
      bytes,
      { province: place.code ?? undefined },
      { readWorkbook: c.get("deps").readWorkbook, sheet: sheetOf(form) },
    );
    return page(c, place, { bytes, check });
  } catch (e) {
    // 422: the list's problems; 415: a workbook where this server cannot read one (Workers).
    if (!(e instanceof AppError) || (e.status !== 422 && e.status !== 415)) throw e;
    const issues = (e.details as { errors?: Issue[] } | undefined)?.errors ?? [];
    return page(c, place, { problem: { message: e.message, issues } });
  }
}

/**
 * 比价结果 as an .xlsx workbook: the list carried by the result page is checked again (the same
 * answer: the same list, province and day) and written with numbers as numbers.
 */
export async function priceCheckWorkbook(c: Context<AppEnv>) {
  const form = await readForm(c, PAGE_FORM_MESSAGES);
  const carried = form.fileBase64;
  const asked = form.province;
  const write = c.get("deps").spreadsheets;
  if (!write) throw new AppError(501, "xlsx_unavailable", "这个服务器不能生成 Excel 文件，请下载 CSV。");
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(typeof carried === "string" ? carried : "");
  } catch {
    throw new AppError(400, "invalid_form", "表单里的清单不完整，请重新上传后再下载。");
  }
  if (!bytes.length) throw new AppError(400, "invalid_form", "表单里没有清单，请重新上传后再下载。");
  const place = await chooseProvince(c, typeof asked === "string" ? asked : undefined);
  const check = await checkPurchaseList(
    c.get("deps").db,
    bytes,
    { province: place.code ?? undefined },
    { readWorkbook: c.get("deps").readWorkbook, sheet: sheetOf(form) },
  );
  const xlsx = await resultXlsx(write, orderLines(check.data));
  c.header("Content-Type", XLSX_CONTENT_TYPE);
  c.header("Content-Disposition", `attachment; filename="price-check.xlsx"; filename*=UTF-8''${encodeURIComponent("比价结果.xlsx")}`);
  return c.body(xlsx as Uint8Array<ArrayBuffer>);
}
