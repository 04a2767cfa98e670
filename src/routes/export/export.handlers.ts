import { exportPricesCsv, exportPricesSheet } from "../../services/export";
import { latestPriceChanges } from "../../services/price-atom";
import type { AppRouteHandler } from "../router";
import { attachment, requireSpreadsheets, xlsxAnswer } from "../xlsx-answer";
import { priceChangesAtom } from "./atom-xml";
import type { exportPricesRoute, exportPricesXlsxRoute, pricesAtomRoute } from "./export.routes";

export const pricesCsv: AppRouteHandler<typeof exportPricesRoute> = async (c) => {
  const { headers, ...query } = c.req.valid("query");
  const stamp = new Date().toISOString().slice(0, 10);
  const csv = await exportPricesCsv(c.get("deps").db, query, headers);
  return c.body(csv, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": attachment(`prices-${stamp}.csv`, `集采中选价格-${stamp}.csv`),
    "Cache-Control": "no-store",
  });
};

export const pricesXlsx: AppRouteHandler<typeof exportPricesXlsxRoute> = async (c) => {
  requireSpreadsheets(c);
  const sheet = await exportPricesSheet(c.get("deps").db, c.req.valid("query"));
  return xlsxAnswer(c, [sheet], "prices", "集采中选价格");
};

export const pricesAtom: AppRouteHandler<typeof pricesAtomRoute> = async (c) => {
  const query = c.req.valid("query");
  const entries = await latestPriceChanges(c.get("deps").db, query);
  const url = new URL(c.req.url);
  const searchText = [query.q, query.batch, query.region, query.province, query.manufacturer].filter(Boolean).join(" ");
  const xml = priceChangesAtom(entries, { selfUrl: url.toString(), siteUrl: `${url.origin}/`, searchText });
  return c.body(xml, 200, { "Content-Type": "application/atom+xml; charset=utf-8" });
};
