import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  507: "Insufficient Storage",
};

export const PROBLEM_TYPE_PREFIX = "urn:vbp-price-tracker:error:";

/** True when `Accept` names application/problem+json with a non-zero quality. */
export function wantsProblemJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (type !== "application/problem+json") return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

type ErrorBody = { error: { code: string; message: string; details?: unknown; requestId: string } };

/**
 * RFC 9457 problem details for clients that ask for them in `Accept`. Every error of the API is
 * built once as the contract's `{ error: {...} }` body (routes/errors.ts, middleware); this turns
 * that body into a problem document at the edge, so no error path needs to know about it.
 */
export const problemDetails = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const res = c.res;
  if (res.status < 400 || !wantsProblemJson(c.req.header("accept"))) return;
  if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) return;
  let body: ErrorBody;
  try {
    body = (await res.clone().json()) as ErrorBody;
  } catch {
    return;
  }
  if (!body?.error?.code) return;
  const { code, message, details, requestId } = body.error;
  const problem = {
    type: `${PROBLEM_TYPE_PREFIX}${code}`,
    title: STATUS_TEXT[res.status] ?? "Error",
    status: res.status,
    detail: message,
    instance: c.req.path,
    code,
    requestId,
    ...(details === undefined ? {} : { details }),
  };
  const headers = new Headers(res.headers);
  headers.set("Content-Type", "application/problem+json");
  headers.delete("Content-Length");
  // as unknown as: Hono types c.res as always set; clearing it first (as cache.ts does) keeps Hono from rebuilding the new answer around the old one.
  c.res = undefined as unknown as Response;
  c.res = new Response(JSON.stringify(problem), { status: res.status, headers });
});
