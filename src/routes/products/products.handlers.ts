import { listProducts } from "../../services/product-list";
import { readCallsOf } from "../../services/read-calls";
import { jsonBytes } from "../json-bytes";
import type { AppRouteHandler } from "../router";
import type * as routes from "./products.routes";

export const list: AppRouteHandler<typeof routes.listProductsRoute> = async (c) => c.json(await listProducts(c.get("deps").db, c.req.valid("query")), 200);

export const getOne: AppRouteHandler<typeof routes.getProduct> = async (c) => {
  return jsonBytes(c, await readCallsOf(c.get("deps")).productJson(c.req.valid("param").id, c.req.valid("query")));
};
