import { listProducts } from "../../services/product-list";
import { getProduct } from "../../services/products";
import { createRouter } from "../router";
import * as routes from "./products.routes";

export const productsRouter = createRouter()
  .openapi(routes.listProductsRoute, async (c) => c.json(await listProducts(c.get("deps").db, c.req.valid("query")), 200))
  .openapi(routes.getProduct, async (c) => {
    const data = await getProduct(c.get("deps").db, c.req.valid("param").id, c.req.valid("query"));
    return c.json({ data }, 200);
  });
