import { createRouter } from "../router";
import * as handlers from "./savings.handlers";
import * as routes from "./savings.routes";

export const savingsRouter = createRouter().openapi(routes.getSavingsRoute, handlers.get).openapi(routes.getSavingsXlsxRoute, handlers.getXlsx);
