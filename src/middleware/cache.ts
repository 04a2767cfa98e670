import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { bytesToBase64Url } from "../base64";
import type { AppEnv } from "../context";
import { readDataState } from "../services/data-version";
import { answerBytesOf } from "./answer-bytes";
import { setAnswerHeader } from "./answer-headers";

/** Browsers and proxies may reuse an answer briefly and revalidate it cheaply with If-None-Match. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600";
/** The edge copy may live long: its key carries the data version, so an import makes it unreachable. */
const EDGE_CACHE_CONTROL = "public, max-age=86400";
/** Headers worth keeping in the edge copy; everything per-request (request id, CORS) is added again. */
const STORED_HEADERS = ["content-type", "content-language", "last-modified"];

/**
 * HTTP caching for the public read API: `ETag` (a hash of the body), `Cache-Control` and 304 on a
 * matching `If-None-Match`, on every runtime. Where the runtime has a response cache (the Workers
 * Cache API, memory on Node) answers are also kept there under a key that includes the data
 * version, so repeated searches skip the database and an import is never hidden by an old copy. Only JSON is hashed: CSV exports can be large streams.
 */
export const httpCache = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "GET" || !isPublicRead(c.req.path)) return next();
  const edge = c.get("deps").responseCache;
  let key: Request | undefined;
  let share: ((res: SharedAnswer | null) => void) | undefined;
  const data = await readDataState(c.get("deps").db);
  if (edge) {
    key = edgeKey(c.req.url, data.value);
    const hit = await edge.match(key);
    if (hit) return answer(c, hit, "HIT");
    // Identical requests that arrive while the first is computed wait for its answer instead of
    // all running the same query: a popular search after an import costs the database once.
    const waiting = pendingOf(edge);
    const pending = waiting.get(key.url);
    if (pending) {
      const shared = await pending;
      if (shared) return answer(c, new Response(shared.body, { status: 200, headers: new Headers(shared.headers) }), "HIT");
    } else {
      const url = key.url;
      waiting.set(url, new Promise<SharedAnswer | null>((resolve) => (share = resolve)));
      const release = share!;
      share = (res) => {
        waiting.delete(url);
        release(res);
      };
    }
  }
  try {
    await next();
  } catch (err) {
    share?.(null);
    throw err;
  }
  const res = c.res;
  if (res.status !== 200) {
    share?.(null);
    setAnswerHeader(c, "Cache-Control", "no-store");
    return;
  }
  // Beside the ETag: when the data behind every answer last changed (an import), as an HTTP date.
  if (data.changedAt) setAnswerHeader(c, "Last-Modified", new Date(data.changedAt).toUTCString());
  if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) {
    share?.(null);
    setAnswerHeader(c, "Cache-Control", PUBLIC_CACHE_CONTROL);
    return;
  }
  const body = answerBytesOf(res) ?? new Uint8Array(await res.arrayBuffer());
  const etag = etagFromDigest(await (c.get("deps").sha256 ?? webSha256)(body));
  if (edge && key) {
    const stored = new Headers({ "Cache-Control": EDGE_CACHE_CONTROL, ETag: etag });
    for (const name of STORED_HEADERS) {
      const value = res.headers.get(name);
      if (value && !stored.has(name)) stored.set(name, value);
    }
    share?.({ body, headers: stored });
    later(c, edge.put(key, new Response(body, { status: 200, headers: stored })));
  }
  const headers = new Headers(res.headers);
  headers.set("ETag", etag);
  // The new answer carries every header of the old one (copied above). Clearing c.res first keeps
  // Hono from rebuilding it around a stream of its body, as it does when one answer replaces another.
  // as unknown as: Hono types c.res as always set; undefined is how its own code clears it.
  c.res = undefined as unknown as Response;
  c.res = answer(c, new Response(body, { status: 200, headers }), edge ? "MISS" : undefined);
});

type SharedAnswer = { body: Uint8Array<ArrayBuffer>; headers: Headers };

/** Answers being computed, per cache (one per isolate or process), by cache key. */
const pendingByCache = new WeakMap<object, Map<string, Promise<SharedAnswer | null>>>();

function pendingOf(cache: object): Map<string, Promise<SharedAnswer | null>> {
  let pending = pendingByCache.get(cache);
  if (!pending) pendingByCache.set(cache, (pending = new Map()));
  return pending;
}

function isPublicRead(path: string): boolean {
  return path.startsWith("/api/v1/") && !path.startsWith("/api/v1/imports");
}

/**
 * The query is sorted so `?a=1&b=2` and `?b=2&a=1` share one entry. The day is part of the key
 * because some answers depend on today (progress: days left in the cycle, prices in cycle).
 */
function edgeKey(url: string, version: string): Request {
  const u = new URL(url);
  u.searchParams.sort();
  const day = new Date().toISOString().slice(0, 10);
  return new Request(`https://edge-cache.vbp.internal/v${encodeURIComponent(version)}/${day}${u.pathname}${u.search}`);
}

/**
 * The answer with its caching headers. A response whose headers can be changed is answered as it is:
 * on Node a cached answer's body stays the bytes it was built from, which @hono/node-server writes in
 * one call, while reading `res.body` would turn it into a stream. Workers' cached responses may
 * have immutable headers; those are copied.
 */
function answer(c: Context<AppEnv>, res: Response, cacheStatus: "HIT" | "MISS" | undefined): Response {
  let out = res;
  try {
    out.headers.set("Cache-Control", PUBLIC_CACHE_CONTROL);
  } catch {
    out = new Response(res.body, res);
    out.headers.set("Cache-Control", PUBLIC_CACHE_CONTROL);
  }
  if (cacheStatus) out.headers.set("X-Cache", cacheStatus);
  const etag = out.headers.get("etag");
  if (etag && matches(c.req.header("if-none-match"), etag)) {
    const headers = new Headers(out.headers);
    headers.delete("content-type");
    return new Response(null, { status: 304, headers });
  }
  return out;
}

/** Weak comparison (RFC 9110 §13.1.2): Cloudflare turns strong ETags weak when it compresses. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

// Not hono/etag: it hashes a clone of every answer read as a stream, which @hono/node-server then also
// writes as a stream: 0.71× the req/s of this on uncached searches (npm run bench -- middleware).
/** The answer's ETag: the first 16 bytes of its body's SHA-256, the same on every runtime. */
export const etagFromDigest = (sha256: Uint8Array) => `W/"${bytesToBase64Url(sha256.subarray(0, 16))}"`;

/** SHA-256 through the web platform (Workers); Node hands a synchronous one (AppDeps.sha256). */
export const webSha256 = async (body: Uint8Array<ArrayBuffer>): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest("SHA-256", body));

/** Finishes `work` after the answer on Workers (waitUntil); elsewhere there is no edge cache to fill. */
function later(c: Context<AppEnv>, work: Promise<unknown>): void {
  const guarded = work.catch((err: unknown) => console.error(JSON.stringify({ level: "warn", message: "edge cache put failed", error: String(err) })));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    void guarded;
  }
}
