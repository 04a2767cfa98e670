import { createRouter } from "../router";
import * as handlers from "./batches.handlers";
import * as routes from "./batches.routes";

export const batchesRouter = createRouter()
  .openapi(routes.listBatches, handlers.list)
  .openapi(routes.getBatch, handlers.getOne)
  .openapi(routes.listBatchBids, handlers.listBids);
