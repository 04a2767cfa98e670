import { suggestNames } from "../../services/search-suggest";
import { createRouter } from "../router";
import * as routes from "./suggest.routes";

export const suggestRouter = createRouter().openapi(routes.suggest, async (c) => {
  const { q, limit } = c.req.valid("query");
  return c.json({ data: await suggestNames(c.get("deps").db, q, limit) }, 200);
});
