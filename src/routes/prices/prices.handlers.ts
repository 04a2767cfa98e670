import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import * as prices from "../../services/prices";
import type { getPrice, listPrices } from "./prices.routes";

export const list: RouteHandler<typeof listPrices, AppEnv> = async (c) => {
  const page = await prices.searchPrices(c.get("deps").db, c.req.valid("query"));
  const meta = {
    total: page.total,
    nextCursor: page.nextCursor,
    ...(page.facets ? { facets: page.facets } : {}),
    ...(page.didYouMean ? { didYouMean: page.didYouMean } : {}),
  };
  return c.json({ data: page.items, meta }, 200);
};

export const getOne: RouteHandler<typeof getPrice, AppEnv> = async (c) => {
  const price = await prices.getPrice(c.get("deps").db, c.req.valid("param").id);
  return c.json({ data: price }, 200);
};
