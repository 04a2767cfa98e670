import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import type { AppEnv } from "../context";
import { AppError, type ErrorCode } from "../errors";

type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown; requestId: string } };

function body(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }), requestId: c.get("requestId") ?? "" } };
}

export function validationError(c: Context<AppEnv>, error: ZodError) {
  const details = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = details[0];
  const message = first ? `${first.path || "request"}: ${first.message}` : "invalid request";
  return c.json(body(c, "validation_error", message, details), 400);
}

/** The one place that turns any thrown error into the contract's JSON error; never a stack trace. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    if ((err.status === 429 || err.status === 503) && !err.headers?.["Retry-After"]) c.header("Retry-After", "1");
    return c.json(body(c, err.code, err.message, err.details), err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    // @hono/zod-openapi's gate for a body without a media type, or of one the route does not declare: say which, with the contract's code.
    if (status === 415) {
      const type = c.req.header("content-type");
      const said = type ? `Content-Type ${JSON.stringify(type)} is not one this endpoint takes` : "the request has a body but no Content-Type";
      return c.json(body(c, "unsupported_media_type", `${said}; its requestBody in /openapi.json lists the media types it takes`), 415);
    }
    const code =
      status === 413
        ? "payload_too_large"
        : status === 401
          ? "unauthorized"
          : status === 404
            ? "not_found"
            : status === 400
              ? badRequestCode(err.message)
              : "http_error";
    return c.json(body(c, code, err.message || "request failed"), status);
  }
  if (isDiskFull(err)) {
    return c.json(body(c, "storage_full", "the database's disk is full; nothing from this request was written"), 507);
  }
  if (isBusy(err)) {
    c.get("deps")?.onDatabaseBusy?.();
    c.header("Retry-After", "1");
    return c.json(body(c, "database_busy", "the database is busy; retry shortly"), 503);
  }
  console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), message: err.message, stack: err.stack }));
  return c.json(body(c, "internal_error", "an unexpected error occurred; it has been logged with this request id"), 500);
}

/** Hono's validators throw HTTPException(400) for bodies they cannot parse; name what was wrong. */
function badRequestCode(message: string): ErrorCode {
  if (/FormData/i.test(message)) return "malformed_form";
  if (/JSON/i.test(message)) return "malformed_json";
  return "bad_request";
}

function errorText(err: Error): string {
  const cause = (err as { cause?: { message?: string; code?: string } }).cause;
  return `${err.message} ${(err as { code?: string }).code ?? ""} ${cause?.message ?? ""} ${cause?.code ?? ""}`;
}

function isBusy(err: Error): boolean {
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(errorText(err));
}

function isDiskFull(err: Error): boolean {
  return /SQLITE_FULL|database or disk is full|SQLITE_IOERR_WRITE|ENOSPC/i.test(errorText(err));
}

export function notFoundHandler(c: Context<AppEnv>) {
  return c.json(body(c, "not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404);
}
