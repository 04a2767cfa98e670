import { getProgress } from "../../services/progress";
import { createRouter } from "../router";
import * as routes from "./progress.routes";

export const progressRouter = createRouter().openapi(routes.getProgressRoute, async (c) => {
  return c.json(await getProgress(c.get("deps").db, c.req.valid("query")), 200);
});
