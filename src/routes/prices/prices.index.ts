import { createRouter } from "../router";
import * as handlers from "./prices.handlers";
import * as routes from "./prices.routes";

export const pricesRouter = createRouter().openapi(routes.listPrices, handlers.list).openapi(routes.getPrice, handlers.getOne);
