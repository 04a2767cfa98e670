import { createRouter } from "../router";
import * as handlers from "./products.handlers";
import * as routes from "./products.routes";

export const productsRouter = createRouter().openapi(routes.listProductsRoute, handlers.list).openapi(routes.getProduct, handlers.getOne);
