import { createRouter } from "../router";
import * as handlers from "./export.handlers";
import * as routes from "./export.routes";

export const exportRouter = createRouter()
  .openapi(routes.exportPricesRoute, handlers.pricesCsv)
  .openapi(routes.exportPricesXlsxRoute, handlers.pricesXlsx)
  .openapi(routes.pricesAtomRoute, handlers.pricesAtom);
