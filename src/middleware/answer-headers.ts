import type { Context } from "hono";

/**
 * Sets a header on the answer a middleware got back from `next()`. Hono's `c.header()` would first
 * rebuild the answer around `res.body`, turning a body of bytes into a stream that
 * @hono/node-server must then read and write chunk by chunk; that rebuild cost cached searches a
 * fifth of their throughput. Headers of a response from elsewhere may be immutable (Workers' cache):
 * then `c.header()` it is.
 */
export function setAnswerHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
