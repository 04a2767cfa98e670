import { exportPricesCsv } from "../../services/export";
import { createRouter } from "../router";
import { exportPricesRoute } from "./export.routes";

export const exportRouter = createRouter().openapi(exportPricesRoute, async (c) => {
  const { headers, ...query } = c.req.valid("query");
  const stamp = new Date().toISOString().slice(0, 10);
  const csv = await exportPricesCsv(c.get("deps").db, query, headers);
  return c.body(csv, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="prices-${stamp}.csv"; filename*=UTF-8''${encodeURIComponent(`集采中选价格-${stamp}.csv`)}`,
    "Cache-Control": "no-store",
  });
});
