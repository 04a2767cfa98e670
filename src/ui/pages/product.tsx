import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { therapyCost, yuanToE4 } from "../../domain";
import { notFound } from "../../errors";
import { readCallsOf } from "../../services/read-calls";
import { BarChart } from "../charts/bar-chart";
import { LineChart } from "../charts/line-chart";
import { ProductBids } from "../components/bid-landscape";
import { BASELINE_SHORT, Reduction, ReductionHeaders, reductionAgainst, StateTag } from "../components/price-state";
import { SyntheticTag } from "../components/price-table";
import { ProvinceSelect } from "../components/province-select";
import { RenewalChains } from "../components/renewal-chain";
import { CATEGORY_LABELS, LEVEL_LABELS, money, packageLabel, packageName, price, priceColumn, REFERENCE_KIND_LABELS, regionsLabel, unitName } from "../format";
import { Layout } from "../layout";
import { chooseProvince, type ProvinceChoice, readIncludeEnded } from "../province";
import { sourceLabel } from "../source-label";

/**
 * 每月药费 of an alternative as the page received it, by src/domain's rule, at the units a day the
 * product's own figure used (given, or its defined daily dose: the same name, form and strength).
 */
function monthlyCost(item: { chosenPrice: number; product: { category: "drug" | "device"; packageQty: number | null } }, unitsPerDay: number) {
  return therapyCost({ category: item.product.category, chosenPriceE4: yuanToE4(item.chosenPrice), packageQty: item.product.packageQty, unitsPerDay });
}

/**
 * Units a day from the query: 0.25 to 20 in quarter steps (half a tablet twice a day is 1).
 * Undefined when not given or wrong: the service then takes the defined daily dose, else 1.
 */
function readPerDay(raw: string | undefined): { value: number | undefined; problem: string | null } {
  if (raw === undefined || raw.trim() === "") return { value: undefined, problem: null };
  // NFKC: full-width digits from a Chinese input method (１．５) are the number they look like.
  const n = Number(raw.normalize("NFKC").trim());
  if (!Number.isFinite(n) || n <= 0 || n > 20 || Math.round(n * 4) !== n * 4) {
    return { value: undefined, problem: `每天用量“${raw}”不对：请填 0.25 到 20 之间、0.25 的倍数；每月药费按未填用量计算。` };
  }
  return { value: n, problem: null };
}

function period(start: string | null, end: string | null): string {
  if (!start && !end) return "—";
  return `${start ?? "?"} 至 ${end ?? "?"}`;
}

/**
 * Where and when this page looks: the province (remembered, as on the search page) and whether
 * ended or upcoming prices count. The filtering is the service's.
 */
function WhereForm(props: { action: string; place: ProvinceChoice; includeEnded: boolean; perDay?: string }) {
  return (
    <form class="inline-form where-form" method="get" action={props.action} aria-label="查看范围">
      <label for="province">省份（会记住）</label>
      <ProvinceSelect place={props.place} />
      <label class="check" for="include">
        <input id="include" name="include" type="checkbox" value="ended" checked={props.includeEnded} />
        包含已到期和未开始的价格
      </label>
      {props.perDay ? <input type="hidden" name="perDay" value={props.perDay} /> : null}
      <button type="submit" class="secondary">
        查看
      </button>
    </form>
  );
}

/** 产品: one product's prices across batches with a chart, its alternatives and the monthly cost. */
export async function productPage(c: Context<AppEnv>) {
  const id = Number(c.req.param("id"));
  const perDay = readPerDay(c.req.query("perDay"));
  if (!Number.isSafeInteger(id) || id < 1) throw notFound("product", c.req.param("id") ?? "");
  // all=1 (the "others one click away" link): every state and every province, the remembered one kept.
  const showAll = c.req.query("all") === "1";
  const place = await chooseProvince(c, showAll ? undefined : c.req.query("province"));
  const includeEnded = showAll || readIncludeEnded(c.req.query());
  const province = showAll ? null : place.code;
  // Place and state are the service's filters (province=, include=ended), as the API answers them.
  const {
    product: p,
    history,
    alternatives,
    bidLandscape,
    therapy: served,
  } = await readCallsOf(c.get("deps")).getProduct(id, {
    province: province ?? undefined,
    include: includeEnded ? "ended" : undefined,
    unitsPerDay: perDay.value,
  });
  // The price paid now: the latest in force on the day, else the latest (as the service counts savings).
  const latest = [...history].reverse().find((h) => h.state === "in_force") ?? history[history.length - 1];
  // 每月药费 as the API answers it (the service's: units a day as given, else the defined daily dose, else 1).
  const therapy = latest && p.category === "drug" ? served : null;
  const cheapest = latest && alternatives.every((a) => a.unitPrice >= latest.unitPrice);
  const self = `/products/${p.id}`;
  const altCol = priceColumn(alternatives.map((a) => a.unitPrice));
  const diffCol = priceColumn(alternatives.map((a) => (a.savingPerUnit === null ? null : Math.abs(a.savingPerUnit))));
  const hChosen = priceColumn(history.map((h) => h.chosenPrice));
  const hUnit = priceColumn(history.map((h) => h.unitPrice));
  const hChange = priceColumn(history.map((h) => (h.changeFromPrevious ? Math.abs(h.changeFromPrevious.chosenPrice) : null)));
  const unit = unitName(p);
  // A count of a named unit reads 6 片; of the unnamed smallest unit, 6 个最小单位.
  const countedUnit = unit === "最小单位" ? "个最小单位" : unit;
  const title = [p.genericName, p.dosageForm, p.spec].filter(Boolean).join(" ");

  return c.html(
    <Layout title={title} nav="product">
      <p class="note">
        <a href={`/?q=${encodeURIComponent(p.genericName)}`}>« 查询 {p.genericName}</a>
      </p>
      <h1>
        {p.genericName}
        {p.genericNameEn ? <span class="note"> {p.genericNameEn}</span> : null}
        <SyntheticTag synthetic={p.synthetic} />
      </h1>
      <dl class="facts">
        <dt>类别</dt>
        <dd>{CATEGORY_LABELS[p.category]}</dd>
        <dt>剂型</dt>
        <dd>{p.dosageForm ?? "—"}</dd>
        <dt>规格</dt>
        <dd>{p.spec ?? "—"}</dd>
        <dt>包装</dt>
        <dd>{packageLabel(p)}</dd>
        <dt>企业</dt>
        <dd>{p.manufacturer ?? "—"}</dd>
        {p.nhsaCode ? (
          <>
            <dt>医保编码</dt>
            <dd>{p.nhsaCode}</dd>
          </>
        ) : null}
        {p.approvalNo ? (
          <>
            <dt>批准文号</dt>
            <dd>{p.approvalNo}</dd>
          </>
        ) : null}
      </dl>
      <WhereForm action={`/products/${p.id}`} place={place} includeEnded={includeEnded && !showAll} perDay={c.req.query("perDay")} />

      {latest ? (
        <section aria-labelledby="current-heading">
          <h2 id="current-heading">
            {latest.state === "in_force" ? "执行中的中选价格" : "最新中选价格"} <span class="note">（{latest.batch.name}）</span>{" "}
            <StateTag state={latest.state} />
          </h2>
          <div class="keyfigures">
            <div class="keyfigure">
              <div class="k">中选价</div>
              <div class="v">{price(latest.chosenPrice)} 元</div>
              <div class="s">每{packageName(p)}</div>
            </div>
            <div class="keyfigure">
              <div class="k">中选单价</div>
              <div class="v">{price(latest.unitPrice)} 元</div>
              <div class="s">每{unit}</div>
            </div>
            {(["ceiling", "pre_vbp"] as const).map((kind) => {
              const baseline = latest.baselines.find((b) => b.kind === kind);
              return (
                <div class="keyfigure">
                  <div class="k">降幅{BASELINE_SHORT[kind]}</div>
                  <div class="v" id={`discount-${kind.replace("_", "-")}`}>
                    <Reduction value={reductionAgainst(latest, kind)} />
                  </div>
                  <div class="s">{baseline ? `${REFERENCE_KIND_LABELS[kind]} ${price(baseline.price)} 元` : `来源没有给出${REFERENCE_KIND_LABELS[kind]}`}</div>
                </div>
              );
            })}
            {therapy ? (
              <div class="keyfigure">
                <div class="k">每月药费</div>
                {therapy.monthlyCost === null ? (
                  <div class="s" id="monthly-cost-note">
                    {therapy.note}
                  </div>
                ) : (
                  <>
                    <div class="v" id="monthly-cost">
                      {money(therapy.monthlyCost)} 元
                    </div>
                    <div class="s">
                      按每天 {therapy.unitsPerDay} {countedUnit}、30 天计
                      {therapy.unitsPerDaySource === "default" ? (perDay.problem ? "（每天用量有误，按 1 估算）" : "（未填每天用量，按 1 估算）") : ""}
                    </div>
                    {therapy.unitsPerDaySource === "ddd" ? <div class="s">{therapy.note}</div> : null}
                  </>
                )}
              </div>
            ) : null}
          </div>
          {cheapest && alternatives.length ? (
            <p class="headline" id="cheapest">
              本品是同通用名、同剂型、同规格的 {alternatives.length + 1} 个中选产品中单价最低的（{province ? `${place.name}可采购、` : ""}
              {includeEnded ? "含已到期" : "执行中"}）。
            </p>
          ) : null}
          {therapy?.monthlyCost != null ? (
            <form class="inline-form" method="get" action={self}>
              <label for="perDay">每天用量（{unit}）</label>
              <input id="perDay" name="perDay" type="number" min="0.25" max="20" step="0.25" value={String(therapy.unitsPerDay)} inputmode="decimal" />
              {showAll ? <input type="hidden" name="all" value="1" /> : null}
              {includeEnded && !showAll ? <input type="hidden" name="include" value="ended" /> : null}
              <button type="submit" class="secondary">
                计算每月药费
              </button>
            </form>
          ) : null}
          {perDay.problem ? (
            <p class="alert" role="alert">
              {perDay.problem}
            </p>
          ) : null}
          <p class="note">
            供应地区：{regionsLabel(latest.supplyRegions, latest.nationwide, 12)}　采购周期：{period(latest.cycleStart, latest.cycleEnd)}
            {latest.source ? <>　来源：{sourceLabel(latest.source)}</> : null}
          </p>
        </section>
      ) : province ? (
        <p>
          这个产品没有供应{place.name}的中选价格。<a href={`${self}?all=1`}>查看其他省份的</a>
        </p>
      ) : (
        <p>这个产品还没有中选价格。</p>
      )}

      {history.length ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">历次中选价格</h2>
          {history.length === 1 && latest ? (
            <figure class="single-point" id="history-chart">
              <figcaption>目前只有一次中选价格，还画不出走势：</figcaption>
              <p>
                <strong>
                  {price(latest.unitPrice)} 元/{unit}
                </strong>
                （{latest.batch.name}
                {latest.batch.announced ? `，${latest.batch.announced}` : ""}）
              </p>
            </figure>
          ) : (
            <LineChart
              id="history-chart"
              title={`${p.genericName} 历次中选单价（元/${unit}）`}
              description={history.map((h) => `${h.batch.name}：${price(h.unitPrice)} 元/${unit}`).join("；")}
              points={history.map((h) => ({
                label: h.batch.announced?.slice(0, 7) ?? h.cycleStart?.slice(0, 7) ?? h.batch.id,
                value: h.unitPrice,
                display: `${price(h.unitPrice)} 元`,
                detail: h.batch.name,
              }))}
            />
          )}
          <div class="table-wrap">
            <table class="cards">
              <caption class="visually-hidden">历次中选价格</caption>
              <thead>
                <tr>
                  <th scope="col">批次</th>
                  <th scope="col">采购周期</th>
                  <th scope="col" class="num">
                    中选价
                  </th>
                  <th scope="col" class="num">
                    中选单价
                  </th>
                  <ReductionHeaders />
                  <th scope="col" class="num">
                    较上一批
                  </th>
                  <th scope="col">状态</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr>
                    <td class="lead-cell" data-label="批次">
                      <a href={`/batches/${encodeURIComponent(h.batch.id)}`}>{h.batch.name}</a>
                      <span class="note"> {LEVEL_LABELS[h.batch.level]}</span>
                    </td>
                    <td data-label="采购周期">{period(h.cycleStart, h.cycleEnd)}</td>
                    <td data-label="中选价" class="num">
                      {hChosen(h.chosenPrice)} 元
                    </td>
                    <td data-label="中选单价" class="num">
                      {hUnit(h.unitPrice)} 元/{unit}
                    </td>
                    <td data-label={`降幅${BASELINE_SHORT.ceiling}`} class="num">
                      <Reduction value={reductionAgainst(h, "ceiling")} />
                    </td>
                    <td data-label={`降幅${BASELINE_SHORT.pre_vbp}`} class="num">
                      <Reduction value={reductionAgainst(h, "pre_vbp")} />
                    </td>
                    <td data-label="较上一批" class="num">
                      {h.changeFromPrevious
                        ? `${h.changeFromPrevious.chosenPrice > 0 ? "+" : h.changeFromPrevious.chosenPrice < 0 ? "−" : ""}${hChange(Math.abs(h.changeFromPrevious.chosenPrice))} 元${
                            h.changeFromPrevious.pct === null ? "" : `（${h.changeFromPrevious.pct > 0 ? "+" : ""}${h.changeFromPrevious.pct.toFixed(2)} %）`
                          }`
                        : "首次中选"}
                    </td>
                    <td data-label="状态">
                      <StateTag state={h.state} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <RenewalChains history={history} unit={unit} />
        </section>
      ) : null}

      <ProductBids groups={bidLandscape} unit={unit} />

      <section aria-labelledby="alternatives-heading">
        <h2 id="alternatives-heading">同组其他中选产品</h2>
        <p class="lead">
          同一通用名、剂型和规格的其他企业或批次的中选产品，按单价从低到高；
          {showAll
            ? "包括已到期、未开始的和各省份的。"
            : `只列${[includeEnded ? "" : "执行中的", province ? `${place.name}可采购的` : ""].filter(Boolean).join("、") || "全部的"}。`}
          {showAll ? (
            <a href={`${self}#alternatives-heading`}>只看{place.name ? `${place.name}可采购、` : ""}执行中的</a>
          ) : (
            <a href={`${self}?all=1#alternatives-heading`}>显示全部（含已到期和其他省份）</a>
          )}
        </p>
        {alternatives.length === 0 ? (
          <p>没有{showAll ? "" : "符合条件的"}同通用名、同剂型、同规格的其他中选产品。</p>
        ) : (
          <>
            {latest ? (
              <BarChart
                id="alternatives-chart"
                title={`单价对比（元/${unit}）`}
                description={`本产品与 ${alternatives.length} 个同组产品的中选单价`}
                series={[{ label: "中选单价", style: "solid" }]}
                rows={[
                  { label: `本品 · ${p.manufacturer ?? latest.batch.name}`, values: [latest.unitPrice], displays: [`${price(latest.unitPrice)} 元`] },
                  ...alternatives.slice(0, 10).map((a) => ({
                    label: `${a.product.manufacturer ?? "—"} · ${a.batch.name}`,
                    values: [a.unitPrice],
                    displays: [`${price(a.unitPrice)} 元`],
                  })),
                ]}
              />
            ) : null}
            <div class="table-wrap">
              <table class="cards" id="alternatives">
                <caption class="visually-hidden">同组其他中选产品</caption>
                <thead>
                  <tr>
                    <th scope="col">企业</th>
                    <th scope="col">批次</th>
                    <th scope="col">包装</th>
                    <th scope="col" class="num">
                      中选单价（元/{unit}）
                    </th>
                    <th scope="col" class="num">
                      与本品比（元/{unit}）
                    </th>
                    {therapy?.monthlyCost != null ? (
                      <th scope="col" class="num">
                        每月药费（元）
                      </th>
                    ) : null}
                    <th scope="col">状态</th>
                  </tr>
                </thead>
                <tbody>
                  {alternatives.map((a) => (
                    <tr>
                      <td class="lead-cell" data-label="企业">
                        <a href={`/products/${a.product.id}`}>{a.product.manufacturer ?? a.product.genericName}</a>
                        <SyntheticTag synthetic={a.synthetic} />
                      </td>
                      <td data-label="批次">{a.batch.name}</td>
                      <td data-label="包装">{packageLabel(a.product)}</td>
                      <td data-label="中选单价" class="num">
                        {altCol(a.unitPrice)}
                      </td>
                      <td data-label="与本品比" class="num">
                        {a.savingPerUnit === null ? (
                          "—"
                        ) : a.savingPerUnit > 0 ? (
                          <span class="good">比本品低 {diffCol(a.savingPerUnit)}</span>
                        ) : a.savingPerUnit < 0 ? (
                          <span>比本品高 {diffCol(-a.savingPerUnit)}</span>
                        ) : (
                          "与本品相同"
                        )}
                      </td>
                      {therapy?.monthlyCost != null ? (
                        <td data-label="每月药费" class="num">
                          {money(monthlyCost(a, therapy.unitsPerDay).monthlyCost)}
                        </td>
                      ) : null}
                      <td data-label="状态">
                        <StateTag state={a.state} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </Layout>,
  );
}
