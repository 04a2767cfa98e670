import type { z } from "@hono/zod-openapi";
import { pricesChangedSince } from "../../services/price-feed";
import { getPrice as findPrice } from "../../services/prices";
import { readCallsOf } from "../../services/read-calls";
import { jsonBytes } from "../json-bytes";
import type { AppRouteHandler } from "../router";
import type { getPrice, listPrices } from "./prices.routes";

/** One meta shape for both answers, so a typed client reads `meta.syncToken` without narrowing. */
type ListMeta = z.infer<(typeof listPrices)["responses"][200]["content"]["application/json"]["schema"]>["meta"];

export const list: AppRouteHandler<typeof listPrices> = async (c) => {
  const { updatedSince, ...query } = c.req.valid("query");
  if (updatedSince !== undefined) {
    const feed = await pricesChangedSince(c.get("deps").db, { ...query, updatedSince });
    const meta: ListMeta = { total: feed.total, nextCursor: feed.nextCursor, syncToken: feed.syncToken };
    return c.json({ data: feed.items, meta }, 200);
  }
  return jsonBytes(c, await readCallsOf(c.get("deps")).priceListJson(query));
};

export const getOne: AppRouteHandler<typeof getPrice> = async (c) => {
  // Judged on asOf like the lists (default today in China).
  const price = await findPrice(c.get("deps").db, c.req.valid("param").id, c.req.query("asOf"));
  return c.json({ data: price }, 200);
};
