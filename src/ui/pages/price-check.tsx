import type { Context } from "hono";
import type { HtmlEscapedString } from "hono/utils/html";
import Papa from "papaparse";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { FormFile, PAGE_FORM_MESSAGES, readForm } from "../../middleware/upload-body";
import { attachment } from "../../routes/xlsx-answer";
import { PRICE_CHECK_CLASS_LABELS, type PriceCheck, type PriceCheckLine, type PriceCheckQuery } from "../../services/price-check";
import { reasonOf } from "../../services/price-check-report";
import { readCallsOf } from "../../services/read-calls";
import { XLSX_CONTENT_TYPE } from "../../services/spreadsheet";
import { templateLines } from "../../services/template-lines";
import { CarriedFileTooLarge, carryFile, fileFromForm } from "../carried-file";
import { BarChart } from "../charts/bar-chart";
import { ProvinceSelect } from "../components/province-select";
import { RowErrorsTable, type RowIssue } from "../components/row-errors-table";
import { count, money, priceColumn } from "../format";
import { Layout } from "../layout";
import { zhMessage } from "../messages-zh";
import { chooseProvince, type ProvinceChoice } from "../province";
import { renderInSlices } from "../render-in-slices";

type Check = PriceCheck;
type Line = PriceCheckLine;
type Issue = RowIssue;

/**
 * The most lines the result page lists, problems first; the downloads hold every line. A year's list
 * of one hospital is ~20,000 lines, which as a table made a 33 MB page that took 3.4 s to write.
 */
export const SHOWN_LINES = 1000;

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

/** The list as the result page carries it for its downloads, which check it again (the same list, province, sheet and day). */
type Carried = { list: string; province: string; sheet: string; xlsx: boolean };

function Downloads(props: { carry: Carried }) {
  const { carry } = props;
  return (
    <form class="downloads" method="post" action="/price-check/result.csv">
      <input type="hidden" name="listGzip" value={carry.list} />
      <input type="hidden" name="province" value={carry.province} />
      <input type="hidden" name="sheet" value={carry.sheet} />
      下载结果：
      <button type="submit" class="link" id="result-csv">
        CSV
      </button>
      {carry.xlsx ? (
        <>
          {" · "}
          <button type="submit" class="link" id="result-xlsx" formaction="/price-check/result.xlsx">
            Excel（.xlsx）
          </button>
        </>
      ) : null}
    </form>
  );
}

/** Each price column of the table aligned on its own decimals (priceColumn), over the lines shown. */
type Columns = Record<"paid" | "unit" | "ref" | "perUnit", (x: number | null | undefined) => string>;

function columnsOf(data: readonly Line[]): Columns {
  return {
    paid: priceColumn(data.map((l) => l.input.price)),
    unit: priceColumn(data.map((l) => l.paidUnitPrice)),
    ref: priceColumn(data.map((l) => (l.chosen ?? l.alternative)?.unitPrice)),
    perUnit: priceColumn(data.map((l) => (l.class === "above_chosen_price" ? l.overpayPerUnit : null))),
  };
}

function LineRow(props: { l: Line; cols: Columns }) {
  const { l, cols } = props;
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
            → <a href={`/products/${ref.product.id}`}>{[ref.product.genericName, ref.product.spec, ref.product.manufacturer].filter(Boolean).join(" ")}</a>（
            {ref.batch.name}）
          </span>
        ) : null}
      </td>
      <td data-label="判定">
        <Verdict line={l} />
      </td>
      <td data-label="进价" class="num">
        {cols.paid(l.input.price)} 元 × {count(l.input.quantity)}
      </td>
      <td data-label="实付单价" class="num">
        {l.paidUnitPrice === null ? "—" : `${cols.unit(l.paidUnitPrice)} 元`}
        {l.packageAssumed ? <span class="tag">按中选产品包装</span> : null}
      </td>
      <td data-label="中选单价" class="num">
        {ref ? `${cols.ref(ref.unitPrice)} 元` : "—"}
      </td>
      <td data-label="每单位差价" class="num">
        {perUnit === null ? "—" : <span class="bad">多付 {cols.perUnit(perUnit)} 元</span>}
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
}

/** The table's rows, rendered before the page a slice at a time (renderInSlices): up to 1,000 of them. */
const renderRows = (data: readonly Line[]) => {
  const cols = columnsOf(data);
  return renderInSlices(data, (l) => <LineRow l={l} cols={cols} />);
};

function Results(props: { check: Check; rows: HtmlEscapedString; carry: Carried; provinceName: string | null }) {
  const { meta } = props.check;
  const data = props.check.data;
  const t = meta.totals;
  return (
    <section aria-labelledby="result-heading" id="check-result">
      <div class="summary">
        <h2 id="result-heading">比价结果</h2>
        <Downloads carry={props.carry} />
      </div>
      <p class="note">
        对照{props.provinceName ? `供应${props.provinceName}的` : "全国的"}
        、正在执行的中选价格。有问题的行排在前面：先是高于中选价的，再是有中选产品可换用的，然后是没有对应中选产品的。
      </p>
      {data.length < meta.total ? (
        <p class="notice" id="shown-lines">
          清单共 {count(meta.total)} 行，下表只列出前 {count(data.length)} 行（有问题的行在前）；全部结果请下载 CSV 或 Excel。
        </p>
      ) : null}
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
          <tbody>{props.rows}</tbody>
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

function page(
  c: Context<AppEnv>,
  place: ProvinceChoice,
  body: { check?: Check; rows?: HtmlEscapedString; carried?: string; problem?: { message: string; issues: Issue[] } },
) {
  // The downloads check the carried list again, so the page holds the lines it shows and no more.
  const carry: Carried | null =
    body.check && body.carried !== undefined
      ? { list: body.carried, province: place.code ?? "", sheet: body.check.meta.sheet ?? "", xlsx: !!c.get("deps").spreadsheets }
      : null;
  return c.html(
    <Layout title="比价" nav="price-check">
      <h1>采购清单比价</h1>
      <p class="lead">上传医院的采购清单，逐行对照中选价格：是否按中选价采购、高出多少，或有没有可以换用的中选产品。</p>
      {body.problem ? <Problems message={body.problem.message} issues={body.problem.issues} /> : null}
      {body.check && body.rows && carry ? <Results check={body.check} rows={body.rows} carry={carry} provinceName={place.name} /> : null}
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

/** The hospital's province is the service's filter (province=): only prices it can buy, in force today. */
const queryOf = (place: ProvinceChoice, form: Record<string, unknown>): PriceCheckQuery => ({ province: place.code ?? undefined, sheet: sheetOf(form) });

/** 比价, the posted list: the totals and the lines, problems first. A list with errors is a report too (200). */
export async function priceCheckSubmit(c: Context<AppEnv>) {
  const form = await readForm(c, PAGE_FORM_MESSAGES);
  const file = form.file;
  const asked = form.province;
  const place = await chooseProvince(c, typeof asked === "string" ? asked : undefined);
  if (!(file instanceof FormFile) || file.size === 0)
    return page(c, place, { problem: { message: "请选择要上传的采购清单（Excel 或 CSV 文件）。", issues: [] } });
  try {
    const bytes = await file.bytes();
    const check = await readCallsOf(c.get("deps")).priceCheck(bytes, queryOf(place, form), SHOWN_LINES);
    return page(c, place, { check, rows: await renderRows(check.data), carried: await carryFile(bytes) });
  } catch (e) {
    // 422: the list's problems; 415: a workbook where this server cannot read one (Workers).
    if (!(e instanceof AppError) || (e.status !== 422 && e.status !== 415)) throw e;
    const issues = (e.details as { errors?: Issue[] } | undefined)?.errors ?? [];
    return page(c, place, { problem: { message: e.message, issues } });
  }
}

/** The list the result page carried, to check again (the same answer: the same list, province, sheet and day). */
async function carriedList(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; query: PriceCheckQuery }> {
  const form = await readForm(c, PAGE_FORM_MESSAGES);
  const asked = form.province;
  const deps = c.get("deps");
  const limit = deps.priceCheckBodyLimitBytes ?? deps.importBodyLimitBytes;
  let bytes: Uint8Array | null;
  try {
    bytes = await fileFromForm(form.listGzip, form.fileBase64, limit);
  } catch (e) {
    if (e instanceof CarriedFileTooLarge) throw new AppError(413, "payload_too_large", `采购清单超过了 ${Math.round(limit / 1048576)} MB 的上限`);
    throw new AppError(400, "invalid_form", "表单里的清单不完整，请重新上传后再下载。");
  }
  if (!bytes?.length) throw new AppError(400, "invalid_form", "表单里没有清单，请重新上传后再下载。");
  const place = await chooseProvince(c, typeof asked === "string" ? asked : undefined);
  return { bytes, query: queryOf(place, form) };
}

/** 比价结果 as CSV or an .xlsx workbook (numbers as numbers): every line, problems first, in the page's columns and words. */
async function resultFile(c: Context<AppEnv>, format: "csv" | "xlsx") {
  if (format === "xlsx" && !c.get("deps").spreadsheets) throw new AppError(501, "xlsx_unavailable", "这个服务器不能生成 Excel 文件，请下载 CSV。");
  const { bytes, query } = await carriedList(c);
  const file = await readCallsOf(c.get("deps")).priceCheckReport(bytes, query, format);
  c.header("Content-Type", format === "csv" ? "text/csv; charset=utf-8" : XLSX_CONTENT_TYPE);
  c.header("Content-Disposition", attachment(`price-check.${format}`, `比价结果.${format}`));
  return c.body(file);
}

export const priceCheckCsv = (c: Context<AppEnv>) => resultFile(c, "csv");
export const priceCheckWorkbook = (c: Context<AppEnv>) => resultFile(c, "xlsx");
