import { createRouter } from "../router";
import * as batches from "../../services/batches";
import * as routes from "./batches.routes";

export const batchesRouter = createRouter()
  .openapi(routes.listBatches, async (c) => {
    const data = await batches.listBatches(c.get("deps").db, c.req.valid("query"));
    return c.json({ data, meta: { total: data.length, nextCursor: null } }, 200);
  })
  .openapi(routes.getBatch, async (c) => {
    const data = await batches.getBatch(c.get("deps").db, c.req.valid("param").id);
    return c.json({ data }, 200);
  });
