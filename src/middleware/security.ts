import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../context";
import type { ErrorCode } from "../errors";
import { setAnswerHeader } from "./answer-headers";

/**
 * Browser-facing protections. Pages load scripts only from this origin; inline styles are allowed
 * because server-rendered charts carry their geometry in attributes and small style blocks.
 */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", "data:"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: "no-referrer",
  // A route may set its own policy: /docs loads the API reference's script from its CDN.
  overwrite: false,
});

const EXPOSED_HEADERS = "ETag,X-Request-Id,Retry-After";

/**
 * Any site may read the public API; no other origin may write (imports, price checks stay
 * same-origin): a preflight offers only GET and HEAD. Written out rather than hono/cors, which sets
 * its headers on `c.res` before the route runs, so that every answer is then rebuilt around a
 * stream of its body (see answer-headers.ts): hono/cors 0.74× the req/s of this one on cached searches
 * (npm run bench -- middleware).
 */
export const publicReadCors = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": EXPOSED_HEADERS,
        "Access-Control-Allow-Methods": "GET,HEAD,OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type,If-None-Match,X-Request-Id",
        "Access-Control-Max-Age": "600",
      },
    });
  }
  await next();
  setAnswerHeader(c, "Access-Control-Allow-Origin", "*");
  setAnswerHeader(c, "Access-Control-Expose-Headers", EXPOSED_HEADERS);
});

/** A cross-origin write is refused outright rather than relying on the browser's preflight alone. */
export const sameOriginWrites = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  if (origin && !["GET", "HEAD", "OPTIONS"].includes(c.req.method) && origin !== new URL(c.req.url).origin) {
    return c.json(
      {
        error: {
          code: "cross_origin_write" satisfies ErrorCode,
          message: "writes are accepted only from this site's own pages or from non-browser clients",
          requestId: c.get("requestId") ?? "",
        },
      },
      403,
    );
  }
  await next();
});
