import { savingsSheets } from "../../services/report-sheets";
import { getSavings } from "../../services/savings";
import type { AppRouteHandler } from "../router";
import { requireSpreadsheets, xlsxAnswer } from "../xlsx-answer";
import type { getSavingsRoute, getSavingsXlsxRoute } from "./savings.routes";

export const get: AppRouteHandler<typeof getSavingsRoute> = async (c) => c.json(await getSavings(c.get("deps").db, c.req.valid("query")), 200);

export const getXlsx: AppRouteHandler<typeof getSavingsXlsxRoute> = async (c) => {
  requireSpreadsheets(c);
  const report = await getSavings(c.get("deps").db, c.req.valid("query"));
  return xlsxAnswer(c, savingsSheets(report), "savings", "节约医保基金");
};
