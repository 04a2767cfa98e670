import { ITEMS_PER_GROUP, type PriceGroup } from "../../services/grouped-results";
import type { PriceView } from "../../services/price-view";
import { count, LEVEL_LABELS, packageLabel, packageName, pct, priceColumn, regionsLabel } from "../format";
import { withQuery } from "../query";
import { BASELINE_SHORT, Reduction, ReductionHeaders, reductionAgainst, StateTag } from "./price-state";

/** Strength · package · firm: what tells one chosen product of a group from another. */
export function itemTitle(item: PriceView): string {
  const p = item.product;
  return [p.spec, packageLabel(p), p.manufacturer ?? "企业未知"].filter((x) => x && x !== "—").join(" · ");
}

function GroupItems(props: { group: PriceGroup; moreHref: string }) {
  const g = props.group;
  const unitCol = priceColumn(g.items.map((i) => i.unitPrice));
  const chosenCol = priceColumn(g.items.map((i) => i.chosenPrice));
  return (
    <div class="group-items">
      <table class="cards items">
        <caption class="visually-hidden">{`${g.genericName} ${g.dosageForm ?? ""} ${g.spec ?? ""} 的中选产品，按单价从低到高`}</caption>
        <thead>
          <tr>
            <th scope="col">企业</th>
            <th scope="col">包装</th>
            <th scope="col" class="num">
              中选单价（元/{g.unit}）
            </th>
            <th scope="col" class="num">
              中选价（元）
            </th>
            <ReductionHeaders />
            <th scope="col">状态</th>
            <th scope="col">批次</th>
            <th scope="col">供应地区</th>
          </tr>
        </thead>
        <tbody>
          {g.items.map((item) => {
            const p = item.product;
            return (
              <tr>
                <td class="lead-cell" data-label="企业">
                  <a href={`/products/${p.id}`}>
                    <span class="phone-only">{itemTitle(item)}</span>
                    <span class="desk-only">{p.manufacturer ?? "企业未知"}</span>
                  </a>
                  <span class="phone-only">
                    {" "}
                    <StateTag state={item.state} />
                  </span>
                </td>
                <td class="desk-only" data-label="包装">
                  {packageLabel(p)}
                </td>
                <td class="num unit-price" data-label="中选单价">
                  <span class="big">{unitCol(item.unitPrice)}</span>
                  <span class="phone-only"> 元/{g.unit}</span>
                </td>
                <td class="num" data-label="中选价">
                  {chosenCol(item.chosenPrice)}
                  <span class="phone-only"> 元/{packageName(p)}</span>
                </td>
                {(["ceiling", "pre_vbp"] as const).map((kind) => {
                  const value = reductionAgainst(item, kind);
                  // On a phone card a baseline the source did not give is left out rather than shown as "—".
                  return (
                    <td class={value === null ? "num empty" : "num"} data-label={`降幅${BASELINE_SHORT[kind]}`}>
                      <Reduction value={value} />
                    </td>
                  );
                })}
                <td class="desk-only" data-label="状态">
                  <StateTag state={item.state} />
                </td>
                <td data-label="批次">
                  <a href={`/batches/${encodeURIComponent(item.batch.id)}`}>{item.batch.name}</a>
                  <span class="note"> {LEVEL_LABELS[item.batch.level]}</span>
                </td>
                <td data-label="供应地区">{regionsLabel(item.supplyRegions, item.nationwide)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {g.prices > ITEMS_PER_GROUP ? (
        <p class="note">
          只列出最便宜的 {ITEMS_PER_GROUP} 个，共 {count(g.prices)} 个：<a href={props.moreHref}>按规格筛选查看全部</a>
        </p>
      ) : null}
    </div>
  );
}

/**
 * Results grouped by generic name, dosage form and strength: one dense row per group (a <summary>,
 * so it expands in place without JavaScript) with the lowest and highest unit price, firms and best
 * reduction; expanded, the group's firms and packages, cheapest first.
 */
export function GroupResults(props: { groups: PriceGroup[]; moreHref: (g: PriceGroup) => string }) {
  const minCol = priceColumn(props.groups.map((g) => g.minUnitPrice));
  const maxCol = priceColumn(props.groups.map((g) => g.maxUnitPrice));
  return (
    <div class="groups" id="results">
      <div class="group-row group-head" aria-hidden="true">
        <span class="g-name">通用名</span>
        <span class="g-form">剂型</span>
        <span class="g-spec">规格</span>
        <span class="g-min num">最低单价（元）</span>
        <span class="g-max num">最高单价（元）</span>
        <span class="g-firms num">企业</span>
        <span class="g-dc num">
          最大降幅
          <br />
          {BASELINE_SHORT.ceiling}
        </span>
        <span class="g-dp num">
          最大降幅
          <br />
          {BASELINE_SHORT.pre_vbp}
        </span>
      </div>
      {props.groups.map((g) => (
        <details class="group">
          <summary class="group-row">
            <span class="g-name" data-sub={` ${[g.dosageForm, g.spec].filter(Boolean).join(" ")}`}>
              {g.genericName}
            </span>
            <span class="g-form">
              <span class="visually-hidden">剂型 </span>
              {g.dosageForm ?? "—"}
            </span>
            <span class="g-spec">
              <span class="visually-hidden">规格 </span>
              {g.spec ?? "—"}
            </span>
            <span class="g-min num">
              <span class="visually-hidden">最低单价 </span>
              <span class="big">{minCol(g.minUnitPrice)}</span>
              <span class="per"> 元/{g.unit}</span>
            </span>
            <span class="g-max num">
              <span class="phone-only">最高 </span>
              <span class="visually-hidden">最高单价 </span>
              {maxCol(g.maxUnitPrice)}
              <span class="per"> 元/{g.unit}</span>
            </span>
            <span class="g-firms num">{count(g.firms)} 家</span>
            <span class="g-dc num">
              <span class="phone-only">最大降幅{BASELINE_SHORT.ceiling} </span>
              <span class="visually-hidden">最大降幅{BASELINE_SHORT.ceiling} </span>
              {pct(g.bestCeilingDiscountPct)}
            </span>
            <span class="g-dp num">
              <span class="phone-only">{BASELINE_SHORT.pre_vbp} </span>
              <span class="visually-hidden">最大降幅{BASELINE_SHORT.pre_vbp} </span>
              {pct(g.bestPreVbpDiscountPct)}
            </span>
          </summary>
          <GroupItems group={g} moreHref={props.moreHref(g)} />
        </details>
      ))}
    </div>
  );
}

/** The link that narrows a search to one group (its name, form and strength). */
export function groupHref(base: Record<string, string | undefined>, g: PriceGroup): string {
  return withQuery("/", { ...base, q: g.genericName, dosageForm: g.dosageForm ?? undefined, spec: g.spec ?? undefined });
}
