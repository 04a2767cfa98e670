import { packageName, unitName } from "../../domain/units";
import type { AtomEntry } from "../../services/price-atom";

const KIND_ZH: Record<AtomEntry["kind"], string> = {
  added: "新增中选",
  renewed: "接续采购",
  renewed_by: "已接续采购",
  changed: "价格变更",
  ended: "采购周期结束",
  withdrawn: "已撤销",
};

const escapeXml = (text: string) =>
  text
    .replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[ch]!)
    // Characters XML 1.0 forbids (control characters other than tab and newlines) are dropped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");

const yuan = (n: number | null) => (n === null ? "—" : `${n}元`);

export type AtomFeedMeta = { selfUrl: string; siteUrl: string; searchText: string };

/**
 * An Atom 1.0 document (RFC 4287) of price changes. Written here rather than with feedsmith's
 * generator: that would bring an XML library into the Worker bundle for a few lines of escaping;
 * the tests parse every feed with feedsmith instead. Entry ids name the price and the moment it
 * changed, so a reader sees each change once and a new change as a new entry.
 */
export function priceChangesAtom(entries: AtomEntry[], meta: AtomFeedMeta): string {
  const feedUpdated = entries[0]?.at ?? "1970-01-01T00:00:00.000Z";
  const title = meta.searchText ? `集采中选价格变化：${meta.searchText}` : "集采中选价格变化";
  const feedId = `urn:vbp-price-tracker:feed:${encodeURIComponent(new URL(meta.selfUrl).search)}`;
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">`,
    `  <id>${escapeXml(feedId)}</id>`,
    `  <title>${escapeXml(title)}</title>`,
    `  <subtitle>新增、接续、变更、结束和撤回的中选价格 · chosen prices added, renewed, changed, ended or withdrawn</subtitle>`,
    `  <updated>${feedUpdated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(meta.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(meta.siteUrl)}"/>`,
    `  <author><name>集采价格查询 VBP price tracker</name></author>`,
    `  <generator>vbp-price-tracker</generator>`,
    ...entries.map((e) => entryXml(e, meta)),
    `</feed>`,
    ``,
  ];
  return lines.join("\n");
}

function entryXml(e: AtomEntry, meta: AtomFeedMeta): string {
  const p = e.price;
  const name = [p.product.genericName, p.product.spec, p.product.manufacturer].filter(Boolean).join(" ");
  const title = `${KIND_ZH[e.kind]}：${name} ${yuan(p.chosenPrice)}（${p.batch.name}）`;
  const summary = [
    `${p.batch.name}：${name}`,
    e.renewal
      ? `由${e.renewal.batch.name}接续采购，接续中选价格 ${yuan(e.renewal.chosenPrice)}（采购周期 ${e.renewal.cycleStart ?? "未知"} 至 ${e.renewal.cycleEnd ?? "未知"}）`
      : null,
    `中选价格 ${yuan(p.chosenPrice)}/${packageName(p.product)}，单价 ${yuan(p.unitPrice)}/${unitName(p.product)}`,
    p.discountPct === null ? null : `降幅 ${p.discountPct}%`,
    `采购周期 ${p.cycleStart ?? "未知"} 至 ${p.cycleEnd ?? "未知"}`,
    `供应地区 ${p.supplyRegions.length ? p.supplyRegions.map((r) => r.name).join("、") : "全国"}`,
    e.kind === "withdrawn" ? "导入该价格的数据已被撤回，该价格已删除（以上为删除前的内容）" : null,
    p.synthetic ? "（合成演示数据，不是真实价格）" : null,
  ]
    .filter(Boolean)
    .join("；");
  // A withdrawn price (and perhaps its product) is gone: its entry links to the search instead.
  const link = e.kind === "withdrawn" ? meta.siteUrl : new URL(`/products/${p.product.id}`, meta.siteUrl).toString();
  return [
    `  <entry>`,
    `    <id>urn:vbp-price-tracker:price:${p.id}:${e.kind}:${e.at}</id>`,
    `    <title>${escapeXml(title)}</title>`,
    `    <updated>${e.at}</updated>`,
    `    <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>`,
    `    <category term="${e.kind}" label="${KIND_ZH[e.kind]}"/>`,
    `    <summary type="text">${escapeXml(summary)}</summary>`,
    `  </entry>`,
  ].join("\n");
}
