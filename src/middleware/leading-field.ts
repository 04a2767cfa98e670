import type { Context } from "hono";
import type { AppEnv } from "../context";

/** The first part of a form is a short field; more than this before its end means it is not. */
const MAX_LEADING_BYTES = 16 * 1024;

const encoder = new TextEncoder();

/**
 * Reads the first field of a multipart form without reading the rest of the body, so a form that
 * carries its credential (the import page's token, which the form sends first) can be refused
 * before a large file behind it is read. The bytes read are put back: the request afterwards has
 * its whole body as before. Returns null when the body is not multipart or its first part is not
 * `name` (a browser sends fields in document order, so the page's own form always starts with it).
 */
export async function readLeadingField(c: Context<AppEnv>, name: string): Promise<string | null> {
  const boundary = boundaryOf(c.req.header("content-type") ?? "");
  const body = c.req.raw.body;
  if (!boundary || !body) return null;
  const reader = body.getReader();
  const seen: Uint8Array[] = [];
  let size = 0;
  let value: string | null = null;
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    seen.push(next.value);
    size += next.value.length;
    const head = concat(seen, Math.min(size, MAX_LEADING_BYTES + delimiter.length));
    const parsed = firstPart(head, boundary, delimiter);
    if (parsed !== undefined) {
      value = parsed?.name === name ? parsed.value : null;
      break;
    }
    if (size >= MAX_LEADING_BYTES) break;
  }
  c.req.raw = new Request(c.req.raw.url, {
    method: c.req.raw.method,
    headers: c.req.raw.headers,
    body: replay(seen, reader),
    // Node's fetch needs this for a streamed request body; workerd ignores it.
    duplex: "half",
  } as RequestInit);
  return value;
}

/** The first part's name and text; undefined while it is incomplete, null when it is malformed. */
function firstPart(head: Uint8Array, boundary: string, delimiter: Uint8Array): { name: string; value: string } | null | undefined {
  const opening = encoder.encode(`--${boundary}\r\n`);
  if (head.length < opening.length) return undefined;
  if (indexOf(head, opening, 0) !== 0) return null;
  const headersEnd = indexOf(head, encoder.encode("\r\n\r\n"), opening.length);
  if (headersEnd < 0) return head.length >= MAX_LEADING_BYTES ? null : undefined;
  const end = indexOf(head, delimiter, headersEnd + 4);
  if (end < 0) return head.length >= MAX_LEADING_BYTES ? null : undefined;
  const headers = new TextDecoder().decode(head.subarray(opening.length, headersEnd));
  const disposition = /^content-disposition:\s*form-data;(.*)$/im.exec(headers)?.[1] ?? "";
  if (/filename=/i.test(disposition)) return null;
  const partName = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
  if (partName === undefined) return null;
  return { name: partName, value: new TextDecoder().decode(head.subarray(headersEnd + 4, end)) };
}

function boundaryOf(contentType: string): string | null {
  if (!/^multipart\/form-data/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2])! : null;
}

function replay(seen: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  const queued = [...seen];
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const first = queued.shift();
      if (first) return controller.enqueue(first);
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function concat(chunks: Uint8Array[], limit: number): Uint8Array {
  const out = new Uint8Array(limit);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= limit) break;
    const part = chunk.subarray(0, limit - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
