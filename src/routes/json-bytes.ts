import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import { rememberAnswerBytes } from "../middleware/answer-bytes";
import type { JsonBytes } from "../services/json-bodies";

/** A 200 JSON answer from a body encoded already (a read thread's), typed as c.json(T) would type it: the same bytes and headers. */
export function jsonBytes<T>(c: Context, body: JsonBytes<T>): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  const res = c.body(body, 200, { "Content-Type": "application/json" });
  rememberAnswerBytes(res, body);
  // as unknown as: Hono types a body of bytes as such; these bytes are JSON.stringify of a T (JsonBytes), as c.json(T) would send.
  return res as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}
