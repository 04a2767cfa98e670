import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { batchOptions } from "../../services/batch-options";
import { regionNameMap } from "../../services/regions";
import { getSavings, type SavingsQuery } from "../../services/savings";
import { BarChart } from "../charts/bar-chart";
import { count, type MoneyUnit, moneyIn, moneyUnitFor, pct } from "../format";
import { Layout } from "../layout";
import { zhMessage } from "../messages-zh";
import { nonEmpty } from "../query";

type Savings = Awaited<ReturnType<typeof getSavings>>;
type Filters = Omit<SavingsQuery, "groupBy">;

function FilterForm(props: {
  filters: Filters;
  batches: Array<{ id: string; name: string; synthetic: boolean }>;
  regions: Array<{ code: string; name: string }>;
}) {
  const f = props.filters;
  return (
    <form class="panel" method="get" action="/savings" aria-label="节约统计条件">
      <div class="filters">
        <div class="field">
          <label for="batch">批次</label>
          <select id="batch" name="batch">
            <option value="">全部批次</option>
            {props.batches.map((b) => (
              <option value={b.id} selected={b.id === f.batch}>
                {b.synthetic ? `${b.name}（合成）` : b.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="region">地区（含下级）</label>
          <select id="region" name="region">
            <option value="">全部地区</option>
            {props.regions.map((r) => (
              <option value={r.code} selected={r.code === f.region}>
                {r.code.length > 2 ? `\u3000${r.name}` : r.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="from">起始月份</label>
          <input id="from" name="from" type="month" value={f.from ?? ""} aria-describedby="month-hint" />
        </div>
        <div class="field">
          <label for="to">截止月份</label>
          <input id="to" name="to" type="month" value={f.to ?? ""} aria-describedby="month-hint" />
        </div>
      </div>
      <p id="month-hint" class="hint note">
        月份格式如 2022-03；不填表示不限。
      </p>
      <div class="actions">
        <button type="submit">统计</button>
        <a href="/savings" class="button secondary">
          清除条件
        </a>
      </div>
    </form>
  );
}

/** 采购金额 is optional in a volumes file: none given (0 for units bought) reads 未提供, not 0. */
function amountCell(unit: MoneyUnit, row: { amountPaid: number; units: number }) {
  return row.amountPaid === 0 && row.units > 0 ? <span class="note">未提供</span> : moneyIn(unit, row.amountPaid);
}

function fundCell(unit: MoneyUnit, row: { fundSaved: number; fundSharePct: number | null; spendSavedWithoutFundShare: number }) {
  if (row.fundSharePct === null && row.fundSaved === 0) return <span class="note">无基金支付比例</span>;
  return (
    <>
      {moneyIn(unit, row.fundSaved)}
      <span class="note">（{row.fundSharePct === null ? "多种比例" : pct(row.fundSharePct)}）</span>
    </>
  );
}

type Row = Savings["data"][number];
const hasFigures = (r: Row) => r.volumeRows > 0 || (r.projected?.spendSaved ?? 0) !== 0;

function SavingsTable(props: {
  id: string;
  caption: string;
  keyLabel: string;
  data: Row[];
  projected: MoneyUnit | null;
  unit: MoneyUnit;
  foldedLabel: string;
}) {
  const shown = props.data.filter(hasFigures);
  const folded = props.data.length - shown.length;
  const u = props.unit.label;
  const pu = props.projected?.label;
  return (
    <>
      <div class="table-wrap">
        <table class="cards" id={props.id}>
          <caption>
            {props.caption}（金额单位：{u}
            {props.projected && pu !== u ? `，预计节约：${pu}` : ""}）
          </caption>
          <thead>
            <tr>
              <th scope="col">{props.keyLabel}</th>
              <th scope="col" class="num">
                采购量（最小单位）
              </th>
              <th scope="col" class="num">
                采购金额（{u}）
              </th>
              <th scope="col" class="num">
                节约支出（{u}）
              </th>
              <th scope="col" class="num">
                节约医保基金（{u}）
              </th>
              {props.projected ? (
                <th scope="col" class="num">
                  按约定量预计节约（{pu}）
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr>
                <th scope="row" class="lead-cell" data-label={props.keyLabel}>
                  {row.label}
                </th>
                <td data-label="采购量" class="num">
                  {count(row.units)}
                </td>
                <td data-label={`采购金额（${u}）`} class="num">
                  {amountCell(props.unit, row)}
                </td>
                <td data-label={`节约支出（${u}）`} class="num">
                  {moneyIn(props.unit, row.spendSaved)}
                </td>
                <td data-label={`节约基金（${u}）`} class="num">
                  {fundCell(props.unit, row)}
                </td>
                {props.projected ? (
                  <td data-label={`预计节约（${pu}）`} class="num">
                    {row.projected && row.projected.spendSaved !== 0 ? moneyIn(props.projected, row.projected.spendSaved) : "—"}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {folded > 0 ? (
        <p class="note folded-rows">
          另有 {folded} 个{props.foldedLabel}在所选范围内没有采购量，也没有约定采购量，未列出。
        </p>
      ) : null}
    </>
  );
}

/** Spending and fund saved per row as bars, in the view's unit, with the same figures as text for screen readers. */
function SavingsChart(props: { id: string; title: string; data: Row[]; unit: MoneyUnit }) {
  const rows = props.data
    .filter((r) => r.volumeRows > 0)
    .map((r) => ({
      label: r.label,
      values: [r.spendSaved, r.fundSaved],
      displays: [
        `${moneyIn(props.unit, r.spendSaved)} ${props.unit.label}`,
        r.fundSharePct === null && r.fundSaved === 0 ? "无基金比例" : `${moneyIn(props.unit, r.fundSaved)} ${props.unit.label}`,
      ],
    }));
  const description = rows.map((r) => `${r.label}：节约支出 ${r.displays[0]}，节约医保基金 ${r.displays[1]}`).join("；");
  return <BarChart id={props.id} title={props.title} description={description} series={SERIES} rows={rows} />;
}

const SERIES = [
  { label: "节约支出", style: "solid" as const },
  { label: "节约医保基金", style: "hatch" as const },
];

/** 节约: spending and insurance fund saved, by region and by month, as charts and as tables. */
export async function savingsPage(c: Context<AppEnv>) {
  const db = c.get("deps").db;
  const raw = nonEmpty(c.req.query());
  const filters: Filters = { batch: raw.batch, region: raw.region, from: raw.from, to: raw.to };
  const [batches, regionNames] = await Promise.all([batchOptions(db), regionNameMap(db)]);
  const regions = [...regionNames].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));

  let byRegion: Savings | null = null;
  let byMonth: Savings | null = null;
  let problem: string | null = null;
  try {
    [byRegion, byMonth] = await Promise.all([getSavings(db, { ...filters, groupBy: "region" }), getSavings(db, { ...filters, groupBy: "month" })]);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problem = e.message;
  }
  const t = byRegion?.meta.totals;
  // One unit for what was bought, chosen by the largest figure (the totals hold the largest), and one
  // for the projection, which is often orders of magnitude larger and would round the rest to 0.00.
  const unit = moneyUnitFor(t ? [t.spendSaved, t.fundSaved, t.amountPaid] : []);
  const projectedUnit = moneyUnitFor(t ? [t.projected.spendSaved] : []);
  const u = unit.label;
  const monthNote = filters.from || filters.to ? "不受月份筛选影响" : "不分月份";

  return c.html(
    <Layout title="节约医保基金" nav="savings">
      <h1>节约的支出与医保基金</h1>
      <p class="lead">节约支出 =（参考单价 − 中选单价）× 采购量；节约医保基金 = 节约支出 × 基金支付比例。</p>
      <FilterForm filters={filters} batches={batches} regions={regions} />
      {problem ? (
        <p class="alert" role="alert">
          统计条件有误：{zhMessage(problem)}
        </p>
      ) : null}
      {t && byRegion && byMonth ? (
        <>
          <p class="note" id="unit-note">
            本页金额单位：<strong>{u}</strong>
            {projectedUnit.label !== u ? (
              <>
                ；按约定量预计节约：<strong>{projectedUnit.label}</strong>
              </>
            ) : null}
          </p>
          {/* biome-ignore lint/a11y/useSemanticElements: a group of key figures, not of form controls, which <fieldset> is for. */}
          <div class="keyfigures" role="group" aria-label="合计">
            <div class="keyfigure">
              <div class="k">节约支出</div>
              <div class="v">
                {moneyIn(unit, t.spendSaved)} <span class="u">{u}</span>
              </div>
              <div class="s">按实际采购量{filters.from || filters.to ? `（${filters.from ?? "最早"} 至 ${filters.to ?? "最近"}）` : ""}</div>
            </div>
            <div class="keyfigure">
              <div class="k">节约医保基金</div>
              <div class="v">
                {moneyIn(unit, t.fundSaved)} <span class="u">{u}</span>
              </div>
              <div class="s">{t.fundSharePct === null ? "各地区按各自比例" : `基金支付比例 ${pct(t.fundSharePct)}`}</div>
            </div>
            <div class="keyfigure">
              <div class="k">采购金额</div>
              <div class="v">
                {t.amountPaid === 0 && t.units > 0 ? (
                  "未提供"
                ) : (
                  <>
                    {moneyIn(unit, t.amountPaid)} <span class="u">{u}</span>
                  </>
                )}
              </div>
              <div class="s">
                {count(t.units)} 个最小单位{t.amountPaid === 0 && t.units > 0 ? "；采购量文件没有金额" : ""}
              </div>
            </div>
            <div class="keyfigure">
              <div class="k">按约定量预计节约</div>
              <div class="v">
                {moneyIn(projectedUnit, t.projected.spendSaved)} <span class="u">{projectedUnit.label}</span>
              </div>
              <div class="s">
                一个约定采购周期（通常为首年），约定量 {count(t.projected.agreedUnits)}；{monthNote}
              </div>
            </div>
          </div>
          {t.spendSavedWithoutFundShare > 0 ? (
            <p class="note">
              其中 {moneyIn(unit, t.spendSavedWithoutFundShare)} {u}的节约支出所在地区没有设定基金支付比例，未计入节约医保基金。
            </p>
          ) : null}
          {t.volumeRows === 0 ? <p>所选范围内还没有导入实际采购量（导入“采购量”文件后显示）。</p> : null}
          <div class="charts">
            <SavingsChart id="savings-by-region" title={`按地区（${u}）`} data={byRegion.data} unit={unit} />
            <SavingsChart id="savings-by-month" title={`按月份（${u}）`} data={byMonth.data} unit={unit} />
          </div>
          <h2>按地区</h2>
          <SavingsTable
            id="savings-region-table"
            caption="按地区的节约（含下级地区）"
            keyLabel="地区"
            data={byRegion.data}
            projected={projectedUnit}
            unit={unit}
            foldedLabel="地区"
          />
          <h2>按月份</h2>
          <SavingsTable id="savings-month-table" caption="按月份的节约" keyLabel="月份" data={byMonth.data} projected={null} unit={unit} foldedLabel="月份" />
        </>
      ) : null}
    </Layout>,
  );
}
