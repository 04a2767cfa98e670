import type { PriceView } from "../../services/price-view";
import { LEVEL_LABELS, packageLabel, packageName, pct, priceColumn, regionsLabel, unitName } from "../format";
import { BASELINE_SHORT, Reduction, reductionAgainst, StateTag } from "./price-state";

export type SortLink = { href: string; state: "ascending" | "descending" | "none"; hint: string };

/** 降幅 with its sign made plain: a chosen price above its reference is flagged in words, not colour. */
export function Discount(props: { value: number | null; above: boolean }) {
  if (props.value === null) return <span class="note">无参考价</span>;
  return (
    <span class={props.above ? "bad" : "good"}>
      {pct(props.value)}
      {props.above ? <span class="tag warn">高于参考价</span> : null}
    </span>
  );
}

export function SyntheticTag(props: { synthetic: boolean }) {
  return props.synthetic ? (
    <span class="tag" title="演示用模拟数据，不是真实价格">
      合成
    </span>
  ) : null;
}

function SortableHeader(props: { label: string; link?: SortLink }) {
  if (!props.link) return <th scope="col">{props.label}</th>;
  const arrow = props.link.state === "ascending" ? " ↑" : props.link.state === "descending" ? " ↓" : "";
  return (
    <th scope="col" aria-sort={props.link.state} class="num">
      <a href={props.link.href} title={props.link.hint}>
        {props.label}
        {arrow}
        <span class="visually-hidden">（{props.link.hint}）</span>
      </a>
    </th>
  );
}

/**
 * The chosen prices as a table with the columns a pharmacist reads: name to supply regions.
 * Below 720 px it becomes one labelled card per price (see .cards in the stylesheet).
 */
export function PriceTable(props: { items: PriceView[]; caption: string; sortLinks?: { unitPrice: SortLink; discount: SortLink }; showBatch?: boolean }) {
  const showBatch = props.showBatch ?? true;
  // One number of decimals per column, so the decimal points line up.
  const chosenCol = priceColumn(props.items.map((i) => i.chosenPrice));
  const unitCol = priceColumn(props.items.map((i) => i.unitPrice));
  return (
    <div class="table-wrap">
      <table class="cards" id="results">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">通用名</th>
            <th scope="col">剂型</th>
            <th scope="col">规格</th>
            <th scope="col">包装</th>
            <th scope="col">企业</th>
            {showBatch ? <th scope="col">批次</th> : null}
            <th scope="col" class="num">
              中选价
            </th>
            <SortableHeader label="中选单价" link={props.sortLinks?.unitPrice} />
            <SortableHeader label={`降幅${BASELINE_SHORT.ceiling}`} link={props.sortLinks?.discount} />
            <th scope="col" class="num">
              降幅{BASELINE_SHORT.pre_vbp}
            </th>
            <th scope="col">状态</th>
            <th scope="col">供应地区</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => {
            const p = item.product;
            return (
              <tr>
                <td class="lead-cell" data-label="通用名">
                  <a href={`/products/${p.id}`}>{p.genericName}</a>
                  <SyntheticTag synthetic={item.synthetic} />
                </td>
                <td data-label="剂型" class={p.dosageForm ? "" : "empty"}>
                  {p.dosageForm ?? "—"}
                </td>
                <td data-label="规格" class={p.spec ? "" : "empty"}>
                  {p.spec ?? "—"}
                </td>
                <td data-label="包装">{packageLabel(p)}</td>
                <td data-label="企业" class={p.manufacturer ? "" : "empty"}>
                  {p.manufacturer ?? "—"}
                </td>
                {showBatch ? (
                  <td data-label="批次">
                    <a href={`/batches/${encodeURIComponent(item.batch.id)}`}>{item.batch.name}</a>
                    <span class="note"> {LEVEL_LABELS[item.batch.level]}</span>
                  </td>
                ) : null}
                <td data-label="中选价" class="num">
                  {chosenCol(item.chosenPrice)} 元/{packageName(p)}
                </td>
                <td data-label="中选单价" class="num">
                  {unitCol(item.unitPrice)} 元/{unitName(p)}
                </td>
                {(["ceiling", "pre_vbp"] as const).map((kind) => {
                  const value = reductionAgainst(item, kind);
                  return (
                    <td data-label={`降幅${BASELINE_SHORT[kind]}`} class={value === null ? "num empty" : "num"}>
                      <Reduction value={value} />
                    </td>
                  );
                })}
                <td data-label="状态">
                  <StateTag state={item.state} />
                </td>
                <td data-label="供应地区">{regionsLabel(item.supplyRegions, item.nationwide)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
