import { suggestNames } from "../../services/search-suggest";
import type { AppRouteHandler } from "../router";
import type { suggest } from "./suggest.routes";

export const list: AppRouteHandler<typeof suggest> = async (c) => {
  const { q, limit } = c.req.valid("query");
  return c.json({ data: await suggestNames(c.get("deps").db, q, limit) }, 200);
};
