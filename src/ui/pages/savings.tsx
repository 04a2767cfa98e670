import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { AppError } from "../../errors";
import { listBatches } from "../../services/batches";
import { regionNameMap } from "../../services/regions";
import { getSavings, type SavingsQuery } from "../../services/savings";
import { BarChart } from "../charts/bar-chart";
import { count, money, moneyScale, moneyShort, pct } from "../format";
import { Layout } from "../layout";
import { nonEmpty } from "../query";

type Savings = Awaited<ReturnType<typeof getSavings>>;
type Filters = Omit<SavingsQuery, "groupBy">;

function FilterForm(props: { filters: Filters; batches: Array<{ id: string; name: string; synthetic: boolean }>; regions: Array<{ code: string; name: string }> }) {
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

function fundCell(row: { fundSaved: number; fundSharePct: number | null; spendSavedWithoutFundShare: number }) {
  if (row.fundSharePct === null && row.fundSaved === 0) return "—（无基金支付比例）";
  return `${money(row.fundSaved)}（${row.fundSharePct === null ? "多种比例" : pct(row.fundSharePct)}）`;
}

function SavingsTable(props: { id: string; caption: string; keyLabel: string; data: Savings["data"]; projected: boolean }) {
  return (
    <div class="table-wrap">
      <table class="cards" id={props.id}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.keyLabel}</th>
            <th scope="col" class="num">采购量（最小单位）</th>
            <th scope="col" class="num">采购金额（元）</th>
            <th scope="col" class="num">节约支出（元）</th>
            <th scope="col" class="num">节约医保基金（元，比例）</th>
            {props.projected ? <th scope="col" class="num">按约定量预计节约（元）</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.data.map((row) => (
            <tr>
              <th scope="row" class="lead-cell" data-label={props.keyLabel}>
                {row.label}
              </th>
              <td data-label="采购量" class="num">
                {count(row.units)}
              </td>
              <td data-label="采购金额" class="num">
                {money(row.amountPaid)}
              </td>
              <td data-label="节约支出" class="num">
                {money(row.spendSaved)}
              </td>
              <td data-label="节约医保基金" class="num">
                {fundCell(row)}
              </td>
              {props.projected ? (
                <td data-label="预计节约" class="num">
                  {row.projected ? money(row.projected.spendSaved) : "—"}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Spending and fund saved per row as bars, with the same figures as text for screen readers. */
function SavingsChart(props: { id: string; title: string; data: Savings["data"] }) {
  const rows = bars(props.data);
  const description = rows.map((r) => `${r.label}：节约支出 ${r.displays[0]}，节约医保基金 ${r.displays[1]}`).join("；");
  return <BarChart id={props.id} title={props.title} description={description} series={SERIES} rows={rows} />;
}

function bars(data: Savings["data"]) {
  const rows = data.filter((r) => r.volumeRows > 0);
  const show = moneyScale(rows.flatMap((r) => [r.spendSaved, r.fundSaved]));
  return rows.map((r) => ({
    label: r.label,
    values: [r.spendSaved, r.fundSaved],
    displays: [show(r.spendSaved), r.fundSharePct === null && r.fundSaved === 0 ? "无基金比例" : show(r.fundSaved)],
  }));
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
  const [batches, regionNames] = await Promise.all([listBatches(db), regionNameMap(db)]);
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
  const realizedRegions = byRegion?.data.filter((r) => r.volumeRows > 0 || (r.projected?.spendSaved ?? 0) !== 0) ?? [];

  return c.html(
    <Layout title="节约医保基金" nav="savings">
      <h1>节约的支出与医保基金</h1>
      <p class="lead">节约支出 =（参考单价 − 中选单价）× 采购量；节约医保基金 = 节约支出 × 基金支付比例。按实际采购量统计，另列按约定采购量的预计节约。</p>
      <FilterForm filters={filters} batches={batches} regions={regions} />
      {problem ? (
        <p class="alert" role="alert">
          统计条件有误：{problem}
        </p>
      ) : null}
      {t && byRegion && byMonth ? (
        <>
          <div class="keyfigures" aria-label="合计">
            <div class="keyfigure">
              <div class="k">节约支出</div>
              <div class="v">{moneyShort(t.spendSaved)}</div>
              <div class="s">按实际采购量</div>
            </div>
            <div class="keyfigure">
              <div class="k">节约医保基金</div>
              <div class="v">{moneyShort(t.fundSaved)}</div>
              <div class="s">{t.fundSharePct === null ? "各地区按各自比例" : `基金支付比例 ${pct(t.fundSharePct)}`}</div>
            </div>
            <div class="keyfigure">
              <div class="k">采购金额</div>
              <div class="v">{moneyShort(t.amountPaid)}</div>
              <div class="s">{count(t.units)} 个最小单位</div>
            </div>
            <div class="keyfigure">
              <div class="k">按约定量预计节约</div>
              <div class="v">{moneyShort(t.projected.spendSaved)}</div>
              <div class="s">约定采购量 {count(t.projected.agreedUnits)}</div>
            </div>
          </div>
          {t.spendSavedWithoutFundShare > 0 ? (
            <p class="note">其中 {money(t.spendSavedWithoutFundShare)} 元的节约支出所在地区没有设定基金支付比例，未计入节约医保基金。</p>
          ) : null}
          {t.volumeRows === 0 ? <p>所选范围内还没有导入实际采购量（导入“采购量”文件后显示）。</p> : null}
          <div class="charts">
            <SavingsChart id="savings-by-region" title="按地区（元）" data={byRegion.data} />
            <SavingsChart id="savings-by-month" title="按月份（元）" data={byMonth.data} />
          </div>
          <h2>按地区</h2>
          <SavingsTable id="savings-region-table" caption="按地区的节约（含下级地区）" keyLabel="地区" data={realizedRegions} projected />
          <h2>按月份</h2>
          <SavingsTable id="savings-month-table" caption="按月份的节约" keyLabel="月份" data={byMonth.data} projected={false} />
        </>
      ) : null}
    </Layout>,
  );
}
