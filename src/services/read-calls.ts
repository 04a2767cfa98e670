import type { Db } from "../db/client";
import { type GroupPage, type GroupQuery, searchGroups } from "./grouped-results";
import { encodeJson, type JsonBytes, type PriceListBody, type ProductBody, priceListBody, productBody } from "./json-bodies";
import { type PriceQuery, searchPrices } from "./prices";
import { getProduct, type ProductAnswer, type ProductQuery } from "./products";

/**
 * The reads a runtime may run whole somewhere else: on Node with READ_THREADS, on a read thread
 * with its own connection (src/node-http/read-calls.ts), so the statements, the rows and the
 * answer's objects stay off the event loop. Each is a service call answering plain data (it crosses
 * threads by structured clone), or for the API a JSON body already encoded (it crosses as bytes).
 * Measured at a million prices: see docs/performance.md.
 */
export type ReadCalls = {
  /** GET /api/v1/prices without updatedSince, as its body. */
  priceListJson(query: PriceQuery): Promise<JsonBytes<PriceListBody>>;
  /** The search page (查询). */
  searchGroups(query: GroupQuery): Promise<GroupPage>;
  /** The product page (产品). */
  getProduct(id: number, query: ProductQuery): Promise<ProductAnswer>;
  /** GET /api/v1/products/:id, as its body. */
  productJson(id: number, query: ProductQuery): Promise<JsonBytes<ProductBody>>;
};
export type ReadCallName = keyof ReadCalls;

/** The calls run here, over `db`. */
export function readCallsOver(db: Db): ReadCalls {
  return {
    priceListJson: async (query) => encodeJson(priceListBody(await searchPrices(db, query))),
    searchGroups: (query) => searchGroups(db, query),
    getProduct: (id, query) => getProduct(db, id, query),
    productJson: async (id, query) => encodeJson(productBody(await getProduct(db, id, query))),
  };
}

/** The runtime's calls where it has them (Node's read threads), else the same calls over its database. */
export function readCallsOf(deps: { db: Db; readCalls?: ReadCalls }): ReadCalls {
  return deps.readCalls ?? readCallsOver(deps.db);
}
