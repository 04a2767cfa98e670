import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { monthlyTherapyCost, unitPrice, yuanToE4 } from "../../domain";
import { notFound } from "../../errors";
import { getProduct } from "../../services/products";
import { BarChart } from "../charts/bar-chart";
import { LineChart } from "../charts/line-chart";
import { Discount, SyntheticTag } from "../components/price-table";
import { CATEGORY_LABELS, LEVEL_LABELS, REFERENCE_KIND_LABELS, money, packageLabel, price, regionsLabel, unitName } from "../format";
import { Layout } from "../layout";

/** 每月药费 at one unit a day, from src/domain, for a price as the page received it. */
function monthlyCost(chosenPrice: number, packageQty: number | null): number {
  return monthlyTherapyCost(unitPrice(yuanToE4(chosenPrice), packageQty), 1, 30);
}

function period(start: string | null, end: string | null): string {
  if (!start && !end) return "—";
  return `${start ?? "?"} 至 ${end ?? "?"}`;
}

/** 产品: one product's prices across batches with a chart, its alternatives and the monthly cost. */
export async function productPage(c: Context<AppEnv>) {
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id) || id < 1) throw notFound("product", c.req.param("id") ?? "");
  const { product: p, history, alternatives } = await getProduct(c.get("deps").db, id);
  const latest = history[history.length - 1];
  const unit = unitName(p);
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

      {latest ? (
        <section aria-labelledby="current-heading">
          <h2 id="current-heading">
            最新中选价格 <span class="note">（{latest.batch.name}）</span>
          </h2>
          <div class="keyfigures">
            <div class="keyfigure">
              <div class="k">中选价</div>
              <div class="v">{price(latest.chosenPrice)} 元</div>
              <div class="s">每{p.packageUnit ?? "包装"}</div>
            </div>
            <div class="keyfigure">
              <div class="k">中选单价</div>
              <div class="v">{price(latest.unitPrice)} 元</div>
              <div class="s">每{unit}</div>
            </div>
            <div class="keyfigure">
              <div class="k">降幅</div>
              <div class="v" id="discount">
                <Discount value={latest.discountPct} above={latest.aboveReference} />
              </div>
              <div class="s">
                {latest.referencePrice === null
                  ? "没有参考价"
                  : `对比${latest.referenceKind ? REFERENCE_KIND_LABELS[latest.referenceKind] : "参考价"} ${price(latest.referencePrice)} 元`}
              </div>
            </div>
            <div class="keyfigure">
              <div class="k">每月药费</div>
              <div class="v">{money(monthlyCost(latest.chosenPrice, p.packageQty))} 元</div>
              <div class="s">按每天 1 {unit}、30 天计</div>
            </div>
          </div>
          <p class="note">
            供应地区：{regionsLabel(latest.supplyRegions, latest.nationwide, 12)}　采购周期：{period(latest.cycleStart, latest.cycleEnd)}
            {latest.source ? <>　来源：{latest.source}</> : null}
          </p>
        </section>
      ) : (
        <p>这个产品还没有中选价格。</p>
      )}

      {history.length ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">历次中选价格</h2>
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
          <div class="table-wrap">
            <table class="cards">
              <caption class="visually-hidden">历次中选价格</caption>
              <thead>
                <tr>
                  <th scope="col">批次</th>
                  <th scope="col">采购周期</th>
                  <th scope="col" class="num">中选价</th>
                  <th scope="col" class="num">中选单价</th>
                  <th scope="col" class="num">参考价</th>
                  <th scope="col" class="num">降幅</th>
                  <th scope="col" class="num">较上一批</th>
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
                      {price(h.chosenPrice)} 元
                    </td>
                    <td data-label="中选单价" class="num">
                      {price(h.unitPrice)} 元/{unit}
                    </td>
                    <td data-label="参考价" class="num">
                      {h.referencePrice === null ? "—" : `${price(h.referencePrice)} 元`}
                    </td>
                    <td data-label="降幅" class="num">
                      <Discount value={h.discountPct} above={h.aboveReference} />
                    </td>
                    <td data-label="较上一批" class="num">
                      {h.changeFromPrevious
                        ? `${h.changeFromPrevious.chosenPrice > 0 ? "+" : ""}${price(h.changeFromPrevious.chosenPrice)} 元${
                            h.changeFromPrevious.pct === null ? "" : `（${h.changeFromPrevious.pct > 0 ? "+" : ""}${h.changeFromPrevious.pct.toFixed(2)} %）`
                          }`
                        : "首次中选"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="alternatives-heading">
        <h2 id="alternatives-heading">可替代产品</h2>
        <p class="lead">同一通用名、剂型和规格的其他企业或批次的中选产品，按单价从低到高。</p>
        {alternatives.length === 0 ? (
          <p>没有找到同通用名、同剂型、同规格的其他中选产品。</p>
        ) : (
          <>
            {latest ? (
              <BarChart
                id="alternatives-chart"
                title={`单价对比（元/${unit}）`}
                description={`本产品与 ${alternatives.length} 个可替代产品的中选单价`}
                series={[{ label: "中选单价", style: "solid" }]}
                rows={[
                  { label: `本产品 · ${p.manufacturer ?? latest.batch.name}`, values: [latest.unitPrice], displays: [`${price(latest.unitPrice)} 元`] },
                  ...alternatives.slice(0, 10).map((a) => ({
                    label: `${a.product.manufacturer ?? "—"} · ${a.batch.name}`,
                    values: [a.unitPrice],
                    displays: [`${price(a.unitPrice)} 元`],
                  })),
                ]}
              />
            ) : null}
            <div class="table-wrap">
              <table class="cards">
                <caption class="visually-hidden">可替代产品</caption>
                <thead>
                  <tr>
                    <th scope="col">企业</th>
                    <th scope="col">批次</th>
                    <th scope="col">包装</th>
                    <th scope="col" class="num">中选单价</th>
                    <th scope="col" class="num">每{unit}节约</th>
                    <th scope="col" class="num">每月药费</th>
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
                        {price(a.unitPrice)} 元/{unitName(a.product)}
                      </td>
                      <td data-label={`每${unit}节约`} class="num">
                        {a.savingPerUnit === null ? (
                          "—"
                        ) : a.savingPerUnit > 0 ? (
                          <span class="good">省 {price(a.savingPerUnit)} 元</span>
                        ) : a.savingPerUnit < 0 ? (
                          <span class="bad">贵 {price(-a.savingPerUnit)} 元</span>
                        ) : (
                          "相同"
                        )}
                      </td>
                      <td data-label="每月药费" class="num">
                        {money(monthlyCost(a.chosenPrice, a.product.packageQty))} 元
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
