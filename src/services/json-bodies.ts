import type { PricePage } from "./prices";
import type { ProductAnswer } from "./products";

declare const encodes: unique symbol;

/**
 * A JSON body already encoded as UTF-8, typed by the value it encodes. Read threads build these, so
 * the event loop neither clones the answer's objects from the thread nor stringifies and encodes
 * them: it hands the bytes to the socket (src/routes/json-bytes.ts).
 */
export type JsonBytes<T> = Uint8Array<ArrayBuffer> & { readonly [encodes]?: T };

/** A long JSON body encoded in parts, in order (a price check of thousands of lines): sent as they are, never joined. */
export type JsonParts<T> = Uint8Array<ArrayBuffer>[] & { readonly [encodes]?: T };

const utf8 = new TextEncoder();

/** `value` as the bytes `c.json(value)` would send. */
export const encodeJson = <T>(value: T): JsonBytes<T> => utf8.encode(JSON.stringify(value)) as JsonBytes<T>;

/** GET /api/v1/prices without updatedSince: a page and its meta (facets and didYouMean only when the search has them). */
export function priceListBody(page: PricePage) {
  return {
    data: page.items,
    meta: {
      total: page.total,
      nextCursor: page.nextCursor,
      ...(page.facets ? { facets: page.facets } : {}),
      ...(page.didYouMean ? { didYouMean: page.didYouMean } : {}),
    },
  };
}
export type PriceListBody = ReturnType<typeof priceListBody>;

/** GET /api/v1/products/:id. */
export const productBody = (data: ProductAnswer) => ({ data });
export type ProductBody = ReturnType<typeof productBody>;
