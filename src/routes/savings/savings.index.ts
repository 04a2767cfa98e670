import { savingsSheets } from "../../services/report-sheets";
import { getSavings } from "../../services/savings";
import { createRouter } from "../router";
import { requireSpreadsheets, xlsxAnswer } from "../xlsx-answer";
import * as routes from "./savings.routes";

export const savingsRouter = createRouter()
  .openapi(routes.getSavingsRoute, async (c) => {
    return c.json(await getSavings(c.get("deps").db, c.req.valid("query")), 200);
  })
  .openapi(routes.getSavingsXlsxRoute, async (c) => {
    requireSpreadsheets(c);
    const report = await getSavings(c.get("deps").db, c.req.valid("query"));
    return xlsxAnswer(c, savingsSheets(report), "savings", "节约医保基金");
  });
