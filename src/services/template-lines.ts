import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { prices, products } from "../db/schema";
import { renderedAlias } from "../db/trusted-sql";
import { formatYuan } from "../domain";
import { priceFilters } from "./prices";

/** The aliases the in-force filter (priceFilters) is written over: p, and the product pr. */
const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");

/** A price scaled by a whole percent, cut to the fen: an example figure, not a computed one. */
const scaled = (e4: number, pct: bigint) => formatYuan(((BigInt(e4) * pct) / 10_000n) * 100n, 2);

export type TemplateLine = {
  genericName: string;
  dosageForm: string;
  spec: string;
  packageText: string;
  manufacturer: string;
  price: string;
  quantity: string;
  note: string;
};

/**
 * Example lines for the purchase-list template, taken from the real (not synthetic) chosen prices
 * the server holds, so a pharmacist who uploads the template unchanged sees each class the check
 * gives: a line at the chosen price, one above it, and one from a firm that was not chosen. They are
 * taken from the prices in force today (the services' default filter) that the hospital's province
 * can buy (supplied to it or nationwide; any price without a province), so the check of that
 * province classes them as they say: no real price of the seeds is nationwide (even the 4+7 pilot
 * bought for eleven cities only).
 */
export async function templateLines(db: Db, province?: string): Promise<TemplateLine[]> {
  const [inForce] = await priceFilters(db, province ? { province } : {});
  const rows = await readRows<{
    genericName: string;
    dosageForm: string | null;
    spec: string;
    packageText: string | null;
    packageQty: number | null;
    smallestUnit: string | null;
    packageUnit: string | null;
    manufacturer: string;
    chosenPriceE4: number;
  }>(
    db,
    sql`SELECT ${pr.genericName} AS genericName, ${pr.dosageForm} AS dosageForm, ${pr.spec} AS spec, ${pr.packageText} AS packageText, ${pr.packageQty} AS packageQty,
        ${pr.smallestUnit} AS smallestUnit, ${pr.packageUnit} AS packageUnit, ${pr.manufacturer} AS manufacturer, ${p.chosenPriceE4} AS chosenPriceE4
      FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId}
      WHERE ${inForce} AND ${p.synthetic} = 0 AND ${pr.spec} IS NOT NULL AND ${pr.spec} <> '' AND ${pr.manufacturer} IS NOT NULL AND ${pr.manufacturer} <> ''
      ORDER BY ${pr.genericName}, ${p.id} LIMIT 2`,
  );
  type Row = (typeof rows)[number];
  const pack = (r: Row) => r.packageText ?? (r.packageQty ? `${r.packageQty}${r.smallestUnit ?? ""}/${r.packageUnit ?? "盒"}` : "");
  /** A line naming the product of `r`, bought as the rest says. */
  const line = (r: Row, bought: Pick<TemplateLine, "manufacturer" | "price" | "quantity" | "note">): TemplateLine => ({
    genericName: r.genericName,
    dosageForm: r.dosageForm ?? "",
    spec: r.spec,
    packageText: pack(r),
    ...bought,
  });
  const lines: TemplateLine[] = [];
  const [first, second] = rows;
  if (first) {
    lines.push(line(first, { manufacturer: first.manufacturer, price: formatYuan(BigInt(first.chosenPriceE4), 4), quantity: "100", note: "按中选价" }));
    lines.push(line(first, { manufacturer: "（贵院的其他供应企业）", price: scaled(first.chosenPriceE4, 130n), quantity: "50", note: "非中选，有中选替代" }));
  }
  if (second) {
    lines.push(line(second, { manufacturer: second.manufacturer, price: scaled(second.chosenPriceE4, 110n), quantity: "20", note: "高于中选价" }));
  }
  return lines;
}
