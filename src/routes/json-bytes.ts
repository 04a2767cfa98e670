import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import { rememberAnswerBytes } from "../middleware/answer-bytes";
import type { JsonBytes, JsonParts } from "../services/json-bodies";

/** A 200 JSON answer from a body encoded already (a read thread's), typed as c.json(T) would type it: the same bytes and headers. */
export function jsonBytes<T>(c: Context, body: JsonBytes<T>): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  const res = c.body(body, 200, { "Content-Type": "application/json" });
  rememberAnswerBytes(res, body);
  // as unknown as: Hono types a body of bytes as such; these bytes are JSON.stringify of a T (JsonBytes), as c.json(T) would send.
  return res as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}

/**
 * A 200 JSON answer from a body encoded in parts (a long price check's), streamed part by part with
 * its length: each part is let go once written to the socket, so the answer is never held twice.
 */
export function jsonParts<T>(c: Context, parts: JsonParts<T>): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  const length = parts.reduce((n, part) => n + part.byteLength, 0);
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next === parts.length) return controller.close();
      controller.enqueue(parts[next]!);
      parts[next++] = WRITTEN;
    },
  });
  // as unknown as: as in jsonBytes, the parts joined are JSON.stringify of a T.
  return c.body(body, 200, { "Content-Type": "application/json", "Content-Length": String(length) }) as unknown as Response &
    TypedResponse<JSONParsed<T>, 200, "json">;
}

const WRITTEN = new Uint8Array(0);
