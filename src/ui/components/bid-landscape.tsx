import type { BidGroup, BidLandscape } from "../../domain";
import { count, priceColumn } from "../format";

/** Groups listed on a batch page; the API lists every bid (GET /api/v1/batches/{id}/bids). */
export const BID_GROUPS_LISTED = 40;

/** Where the dearest chosen price sits among the group's priced bids, in words. */
function positionText(g: BidGroup): string {
  const p = g.position;
  if (!p || p.pricedBids === 0) return "—";
  const ratio = p.highestChosenToLowestBid === null ? "" : `，最低报价的 ${p.highestChosenToLowestBid.toFixed(2)} 倍`;
  return `第 ${p.highestChosenRank}/${p.pricedBids} 名${ratio}`;
}

function GroupTable(props: { groups: BidGroup[]; caption: string; showName: boolean; batchLabel?: (g: BidGroup) => string }) {
  const low = priceColumn(props.groups.map((g) => g.lowestBid));
  const high = priceColumn(props.groups.map((g) => g.highestBid));
  const chosenLow = priceColumn(props.groups.map((g) => g.lowestChosen));
  const chosenHigh = priceColumn(props.groups.map((g) => g.highestChosen));
  return (
    <div class="table-wrap">
      <table class="cards bids">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.showName ? "品种（通用名 剂型 规格）" : "批次"}</th>
            <th scope="col" class="num">
              投标企业
            </th>
            <th scope="col" class="num">
              中选 / 未中选
            </th>
            <th scope="col" class="num">
              最低报价（元）
            </th>
            <th scope="col" class="num">
              最高报价（元）
            </th>
            <th scope="col" class="num">
              中选价（元）
            </th>
            <th scope="col">最高中选价的位置</th>
          </tr>
        </thead>
        <tbody>
          {props.groups.map((g) => (
            <tr>
              <td class="lead-cell" data-label="品种">
                {props.showName ? [g.genericName, g.dosageForm, g.spec].filter(Boolean).join(" ") : (props.batchLabel?.(g) ?? "")}
                {g.chosenFirms.length ? (
                  <span class="note">
                    {" "}
                    中选：{g.chosenFirms.slice(0, 4).join("、")}
                    {g.chosen > 4 ? ` 等 ${g.chosen} 家` : ""}
                  </span>
                ) : null}
              </td>
              <td class="num" data-label="投标企业">
                {count(g.firms)}
              </td>
              <td class="num" data-label="中选 / 未中选">
                {count(g.chosen)} / {count(g.losing)}
              </td>
              <td class="num" data-label="最低报价">
                {low(g.lowestBid)}
              </td>
              <td class="num" data-label="最高报价">
                {high(g.highestBid)}
              </td>
              <td class="num" data-label="中选价">
                {g.lowestChosen === null
                  ? "—"
                  : g.lowestChosen === g.highestChosen
                    ? chosenLow(g.lowestChosen)
                    : `${chosenLow(g.lowestChosen)}–${chosenHigh(g.highestChosen)}`}
              </td>
              <td data-label="所处位置">{positionText(g)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * 投标情况 of a batch (the services' bid landscape): how many firms bid, how many were chosen, and
 * per generic name, form and strength the lowest and highest bids and where the chosen price sits.
 * Prices are per smallest unit (per package when the package size is unknown).
 */
export function BatchBids(props: { landscape: BidLandscape; batchId: string }) {
  const l = props.landscape;
  const listed = l.items.slice(0, BID_GROUPS_LISTED);
  const api = `/api/v1/batches/${encodeURIComponent(props.batchId)}/bids`;
  return (
    <section aria-labelledby="bids-heading" id="bids">
      <h2 id="bids-heading">投标情况</h2>
      <div class="keyfigures">
        <div class="keyfigure">
          <div class="k">投标企业</div>
          <div class="v" id="bid-firms">
            {count(l.firms)} 家
          </div>
          <div class="s">中选 {count(l.chosenFirms)} 家</div>
        </div>
        <div class="keyfigure">
          <div class="k">报价</div>
          <div class="v">{count(l.bids)} 个</div>
          <div class="s">
            中选 {count(l.chosen)} 个，未中选 {count(l.losing)} 个{l.unpriced ? `，无报价 ${count(l.unpriced)} 个` : ""}
            {l.overCeiling ? `，高于最高有效申报价 ${count(l.overCeiling)} 个（无效，不计入最高报价）` : ""}
          </div>
        </div>
        <div class="keyfigure">
          <div class="k">品种</div>
          <div class="v">{count(l.groups)} 个</div>
          <div class="s">按通用名、剂型、规格分组</div>
        </div>
      </div>
      <p class="plain-note" role="note">
        {l.losingBidsKnown
          ? "报价按最小单位计（包装数量未知时按包装）。“所处位置”是最高的中选价在本组全部有报价的投标中从低到高的名次。"
          : "本站没有收录这个批次未中选的投标，下面的数字只包括中选价格。"}
        {l.items.length > listed.length ? `这里列出 ${listed.length} 个品种，共 ${count(l.items.length)} 个；全部投标见` : "逐条投标见"}
        <a href={api}>接口 {api}</a>。
      </p>
      {listed.length ? <GroupTable groups={listed} caption="各品种的投标情况" showName={true} /> : null}
    </section>
  );
}

/** The product's group in each batch it was chosen in: the bids it competed with. */
export function ProductBids(props: { groups: Array<BidGroup & { batch: { id: string; name: string }; losingBidsKnown: boolean }>; unit: string }) {
  if (!props.groups.length) return null;
  const known = props.groups.some((g) => g.losingBidsKnown);
  return (
    <section aria-labelledby="product-bids-heading" id="product-bids">
      <h2 id="product-bids-heading">同组投标（元/{props.unit}）</h2>
      <p class="lead">本品所在的通用名、剂型、规格在各批次的投标：{known ? "包括未中选的报价。" : "本站没有收录未中选的投标，只有中选价格。"}</p>
      <GroupTable groups={props.groups} caption="本品同组的投标" showName={false} batchLabel={(g) => (g as (typeof props.groups)[number]).batch.name} />
    </section>
  );
}
