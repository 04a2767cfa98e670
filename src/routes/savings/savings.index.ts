import { getSavings } from "../../services/savings";
import { createRouter } from "../router";
import * as routes from "./savings.routes";

export const savingsRouter = createRouter().openapi(routes.getSavingsRoute, async (c) => {
  return c.json(await getSavings(c.get("deps").db, c.req.valid("query")), 200);
});
