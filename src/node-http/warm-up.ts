import { request } from "node:http";

/**
 * Requests a freshly started server sends itself once it listens, before it says it serves, so that
 * the first users after a start or a deploy do not pay for what runs only once: V8 compiling the
 * request path on the event loop and on every read thread, each thread's connection reading the
 * schema, the regions and search terms loaded on first use. On a million prices a fresh server
 * answered its first searches in 12–71 ms, and in 8–34 ms once warmed up. The requests go through
 * the server's own socket, so the HTTP layer is warmed too, and carry a header with a secret of this
 * start, by which the server answers them with an app that neither logs nor limits: they are not users'.
 *
 * The paths cover what users send (a name, 拼音码, English, a code, a firm, each sort, every kind of
 * filter, the pages) and answer on any database, an empty one included. Each round sends them all at
 * once, so the read pool spreads them over its threads (it picks the least busy one).
 */
export const WARM_UP_PATHS = [
  "/health",
  "/api/v1/prices?q=阿莫西林",
  "/api/v1/prices?q=amxl",
  "/api/v1/prices?q=amoxicillin&limit=50",
  "/api/v1/prices?q=XA01",
  "/api/v1/prices?q=药业&sort=-unitPrice",
  "/api/v1/prices?sort=unitPrice&limit=100",
  "/api/v1/prices?sort=-discount&minDiscount=50",
  "/api/v1/prices?maxUnitPrice=1&sort=relevance",
  "/api/v1/prices?province=广东省&category=drug&sort=-unitPrice",
  "/api/v1/prices?region=北京市&minDiscount=30&include=ended",
  "/api/v1/batches",
  "/api/v1/suggest?q=阿",
  "/?q=阿莫西林",
  "/batches",
] as const;

export type WarmUpReport = { requests: number; failed: string[]; ms: number };

const ANSWER_TIMEOUT_MS = 5_000;

/** The header that marks a warm-up request; its value is a secret made at each start. */
export const WARM_UP_HEADER = "x-vbp-warm-up";

/**
 * Sends WARM_UP_PATHS `rounds` times through `get` (which answers the status), each round all at
 * once; stops starting rounds once `budgetMs` has passed. A failed answer is reported, never thrown:
 * warming up must not keep a server from serving.
 */
export async function warmUp(get: (path: string) => Promise<number>, rounds: number, budgetMs: number): Promise<WarmUpReport> {
  const started = performance.now();
  const failed = new Set<string>();
  let requests = 0;
  for (let round = 0; round < rounds && performance.now() - started < budgetMs; round++) {
    await Promise.all(
      WARM_UP_PATHS.map(async (path) => {
        requests++;
        try {
          const status = await get(path);
          if (status < 200 || status > 299) failed.add(`${path} → ${status}`);
        } catch (err) {
          failed.add(`${path} → ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
  }
  return { requests, failed: [...failed], ms: Math.round(performance.now() - started) };
}

/** A GET of `path` on this server's own socket, marked as warm-up by `secret`: its status, the body read and dropped. */
export function loopbackGet(host: string, port: number, secret: string): (path: string) => Promise<number> {
  // A wildcard address listens on every interface, loopback included.
  const to = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return (path) =>
    new Promise((resolve, reject) => {
      const req = request({ host: to, port, path: encodeURI(path), headers: { [WARM_UP_HEADER]: secret } }, (res) => {
        res.on("error", reject);
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.resume();
      });
      req.on("error", reject);
      // A warm-up that gets no answer gives up on it rather than keep the server from saying it serves.
      req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${ANSWER_TIMEOUT_MS / 1000} s`)));
      req.end();
    });
}
