import * as batches from "../../services/batches";
import { listBatchBids } from "../../services/bids";
import type { AppRouteHandler } from "../router";
import type * as routes from "./batches.routes";

export const list: AppRouteHandler<typeof routes.listBatches> = async (c) => {
  const query = c.req.valid("query");
  const syncToken = query.updatedSince === undefined ? undefined : await batches.batchesSyncToken(c.get("deps").db);
  const data = await batches.listBatches(c.get("deps").db, query);
  return c.json({ data, meta: { total: data.length, nextCursor: null, ...(syncToken ? { syncToken } : {}) } }, 200);
};

export const getOne: AppRouteHandler<typeof routes.getBatch> = async (c) => {
  const data = await batches.getBatch(c.get("deps").db, c.req.valid("param").id);
  return c.json({ data }, 200);
};

export const listBids: AppRouteHandler<typeof routes.listBatchBids> = async (c) =>
  c.json(await listBatchBids(c.get("deps").db, c.req.valid("param").id, c.req.valid("query")), 200);
