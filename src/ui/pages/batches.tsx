import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { type BatchView, getBatch, listBatches } from "../../services/batches";
import { searchPrices } from "../../services/prices";
import { batchReductions } from "../../services/reduction-buckets";
import { BarChart } from "../charts/bar-chart";
import { BatchBids } from "../components/bid-landscape";
import { PriceTable, SyntheticTag } from "../components/price-table";
import { CATEGORY_LABELS, count, LEVEL_LABELS, pct, REFERENCE_KIND_LABELS } from "../format";
import { Layout } from "../layout";
import { withQuery } from "../query";
import { sourceLabel } from "../source-label";

// One string: a line break inside JSX text would show as a space between Chinese sentences.
const LIST_LEAD =
  "每个批次的产品数和平均降幅：左为本站按已收录价格计算，右为官方公布。降幅分两种基准计算；官方公布的平均降幅通常是对集采前价格的，放在同一基准下对照。";

/** 批次 list: every batch with its computed figures beside the published ones. */
export async function batchesPage(c: Context<AppEnv>) {
  const batches = await listBatches(c.get("deps").db);
  return c.html(
    <Layout title="集采批次" nav="batches">
      <h1>集采批次</h1>
      <p class="lead">{LIST_LEAD}</p>
      <div class="table-wrap">
        <table class="cards">
          <caption class="visually-hidden">集采批次</caption>
          <thead>
            <tr>
              <th scope="col">批次</th>
              <th scope="col">级别</th>
              <th scope="col">类别</th>
              <th scope="col">公布日期</th>
              <th scope="col" class="num">
                产品数（计算 / 公布）
              </th>
              <th scope="col" class="num">
                平均降幅
                <br />
                对最高有效申报价
              </th>
              <th scope="col" class="num">
                平均降幅
                <br />
                对集采前价格（计算 / 公布）
              </th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr>
                <td class="lead-cell" data-label="批次">
                  <a href={`/batches/${encodeURIComponent(b.id)}`}>{b.name}</a>
                  <SyntheticTag synthetic={b.synthetic} />
                </td>
                <td data-label="级别">{LEVEL_LABELS[b.level]}</td>
                <td data-label="类别">{CATEGORY_LABELS[b.category]}</td>
                <td data-label="公布日期">{b.announced ?? "—"}</td>
                <td data-label="产品数" class="num">
                  {count(b.statistics.products)} <span class="note">/ 公布 {publishedCount(b)}</span>
                </td>
                <td data-label="平均降幅·对最高有效申报价" class="num">
                  {pct(b.statistics.byBaseline.ceiling.meanDiscountPct)}
                </td>
                <td data-label="平均降幅·对集采前价格" class="num">
                  {pct(b.statistics.byBaseline.pre_vbp.meanDiscountPct)} <span class="note">/ 公布 {pct(b.published.meanDiscountPct)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>,
  );
}

function StatRow(props: { label: string; computed: string; published: string; hint?: string }) {
  return (
    <tr>
      <th scope="row">{props.label}</th>
      <td class="num">{props.computed}</td>
      <td class="num">{props.published}</td>
      <td class="note">{props.hint ?? ""}</td>
    </tr>
  );
}

/** The published count beside ours: products, or the items (品种, generic names) when only those were published, said so. */
function publishedCount(b: BatchView): string {
  if (b.published.products === null && b.published.items !== null) return `${count(b.published.items)} 个品种`;
  return count(b.published.products);
}

/** Says in words when the data here covers less of the batch than was published. */
function coverageNote(b: BatchView): string | null {
  const published = b.published.products ?? b.published.items;
  if (published === null) return null;
  if (b.statistics.products >= published) return null;
  return `本站收录了 ${b.statistics.products} 个产品，官方公布 ${published} 个${b.published.products === null ? "品种" : "产品"}：计算值只反映已收录部分，与公布值不同是数据不全，不是计算有误。`;
}

/** 批次: one batch's statistics (computed beside published), the spread of its reductions, its products. */
export async function batchPage(c: Context<AppEnv>) {
  const db = c.get("deps").db;
  const batch = await getBatch(db, c.req.param("id") ?? "");
  const cursor = c.req.query("cursor") || undefined;
  const pageNo = Math.max(1, Number.parseInt(c.req.query("n") ?? "1", 10) || 1);
  const [page, spread] = await Promise.all([
    // A batch's products whatever their state today: the list is the batch's record, each row says its state.
    searchPrices(db, { batch: batch.id, sort: "-discount", limit: 20, cursor, include: "ended" }),
    batchReductions(db, batch.id),
  ]);
  const means = spread.means;
  const mean = (kind: "ceiling" | "pre_vbp") => means.find((m) => m.kind === kind)!;
  const s = batch.statistics;
  const note = coverageNote(batch);
  const self = `/batches/${encodeURIComponent(batch.id)}`;

  return c.html(
    <Layout title={batch.name} nav="batches">
      <p class="note">
        <a href="/batches">« 全部批次</a>
      </p>
      <h1>
        {batch.name}
        <SyntheticTag synthetic={batch.synthetic} />
      </h1>
      <dl class="facts">
        <dt>级别</dt>
        <dd>{LEVEL_LABELS[batch.level]}</dd>
        <dt>类别</dt>
        <dd>{CATEGORY_LABELS[batch.category]}</dd>
        {batch.organizer ? (
          <>
            <dt>组织方</dt>
            <dd>{batch.organizer}</dd>
          </>
        ) : null}
        <dt>公布日期</dt>
        <dd>{batch.announced ?? "—"}</dd>
        <dt>采购周期</dt>
        <dd>{batch.cycleStart || batch.cycleEnd ? `${batch.cycleStart ?? "?"} 至 ${batch.cycleEnd ?? "?"}` : "—"}</dd>
        <dt>范围</dt>
        <dd>{batch.regionScope ?? "—"}</dd>
        {batch.source ? (
          <>
            <dt>来源</dt>
            <dd>{sourceLabel(batch.source)}</dd>
          </>
        ) : null}
      </dl>

      <h2 id="stats-heading">统计</h2>
      <div class="plain-note" role="note" id="baseline-note">
        <p>
          降幅有两种基准：对<strong>最高有效申报价</strong>（集采文件给出的报价上限）和对<strong>集采前价格</strong>
          （集采前的采购价或中标价）。本站分别计算：
          {means.map((m) => `${REFERENCE_KIND_LABELS[m.kind]} ${m.count} 个产品有`).join("，")}。 官方公布的平均降幅
          {batch.published.meanDiscountPct === null ? "（这个批次没有公布）" : ` ${pct(batch.published.meanDiscountPct)} `}
          通常是对集采前价格、按全部中选产品算的，所以放在“对集采前价格”一行对照；基准或范围不同，两个数就会不同，不是计算有误。
        </p>
        {note ? <p>{note}</p> : null}
      </div>
      <div class="table-wrap">
        {/* Each row is its own measure (counts, percents): decimals differ by row, not by column. */}
        <table aria-labelledby="stats-heading" data-mixed-rows="">
          <thead>
            <tr>
              <th scope="col">指标</th>
              <th scope="col" class="num">
                本站计算
              </th>
              <th scope="col" class="num">
                官方公布
              </th>
              <th scope="col">说明</th>
            </tr>
          </thead>
          <tbody>
            <StatRow label="品种数" computed="—" published={count(batch.published.items)} hint="公布的品种（通用名）数" />
            <StatRow label="产品数" computed={count(s.products)} published={count(batch.published.products)} />
            <StatRow label="企业数" computed={count(s.firms)} published={count(batch.published.firms)} />
            <StatRow
              label="平均降幅（对最高有效申报价）"
              computed={pct(mean("ceiling").meanPct)}
              published="—"
              hint={mean("ceiling").count ? `按 ${mean("ceiling").count} 个有最高有效申报价的产品平均` : "收录的产品都没有最高有效申报价"}
            />
            <StatRow
              label="平均降幅（对集采前价格）"
              computed={pct(mean("pre_vbp").meanPct)}
              published={pct(batch.published.meanDiscountPct)}
              hint={mean("pre_vbp").count ? `按 ${mean("pre_vbp").count} 个有集采前价格的产品平均` : "收录的产品都没有集采前价格"}
            />
            <StatRow
              label="最大降幅"
              computed={pct(s.maxDiscountPct)}
              published={pct(batch.published.maxDiscountPct)}
              hint="按每个产品的主要基准（有最高有效申报价时用它）"
            />
            <StatRow label="中位降幅" computed={pct(s.medianDiscountPct)} published="—" hint="同上" />
            <StatRow label="最小降幅" computed={pct(s.minDiscountPct)} published="—" hint="同上" />
            <StatRow label="按采购量加权降幅" computed={pct(s.volumeWeightedDiscountPct)} published="—" hint="有约定采购量时计算" />
            {batch.published.savings ? <StatRow label="节约金额" computed="—" published={batch.published.savings} /> : null}
          </tbody>
        </table>
      </div>

      <BarChart
        id="reductions-chart"
        title="降幅分布（产品数，从小到大；按每个产品的主要基准）"
        description={spread.buckets.map((b) => `${b.label}：${b.count} 个`).join("；")}
        series={[{ label: "产品数", style: "solid" }]}
        rows={spread.buckets.map((b) => ({ label: b.label, values: [b.count], displays: [`${b.count} 个`] }))}
        note={spread.withoutReference ? `另有 ${spread.withoutReference} 个产品没有参考价，未计入。` : undefined}
      />

      <BatchBids landscape={batch.bidLandscape} batchId={batch.id} />

      <section aria-labelledby="products-heading">
        <div class="summary">
          <h2 id="products-heading" style="margin:0">
            中选产品
          </h2>
          <span>
            共 {count(page.total)} 条，按降幅从高到低{page.total > 20 ? `，第 ${pageNo} 页` : ""}
          </span>
          <a href={withQuery("/", { batch: batch.id })}>在查询页筛选这个批次</a>
        </div>
        {page.items.length ? <PriceTable items={page.items} caption={`${batch.name} 的中选产品`} showBatch={false} /> : <p>这个批次还没有收录中选价格。</p>}
        <nav class="pager" aria-label="翻页">
          {pageNo > 1 ? <a href={self}>« 第一页</a> : null}
          {page.nextCursor ? (
            <a href={`${withQuery(self, { cursor: page.nextCursor, n: pageNo + 1 })}#products-heading`} rel="next">
              下一页 »
            </a>
          ) : null}
        </nav>
      </section>
    </Layout>,
  );
}
