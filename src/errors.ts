/**
 * Every `error.code` the API answers: stable, so clients may branch on them (the contract lists
 * them as the enum of Error.code). A new code is added here first.
 */
export const ERROR_CODES = [
  // the request itself
  "validation_error",
  "bad_request",
  "malformed_form",
  "malformed_json",
  "invalid_form",
  "missing_file",
  "invalid_cursor",
  "invalid_updated_since",
  "invalid_as_of",
  "invalid_state",
  "invalid_date",
  "invalid_month",
  "invalid_range",
  "unknown_region",
  "unknown_province",
  "export_too_large",
  "not_found",
  "request_timeout",
  "http_error",
  // who may write
  "unauthorized",
  "imports_disabled",
  "cross_origin_write",
  "too_many_failed_attempts",
  "rate_limited",
  // uploads and imports
  "payload_too_large",
  "unsupported_media_type",
  "xlsx_unsupported",
  "xlsx_unavailable",
  "invalid_file",
  "unreadable_file",
  "invalid_purchase_list",
  "too_many_lines",
  "seed_rejected",
  "import_running",
  "import_failed",
  "import_not_found",
  "import_not_withdrawable",
  "import_already_withdrawn",
  "withdraw_conflict",
  "uploads_busy",
  // the server
  "database_busy",
  "database_unavailable",
  "query_timeout",
  "storage_full",
  "worker_misconfigured",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Errors a caller can act on. Services throw these; the app turns them into the one JSON error
 * shape of the contract, so no route has to know about status codes of another layer.
 */
export class AppError extends Error {
  constructor(
    public readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 501 | 503,
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    public readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string, id: string | number) => new AppError(404, "not_found", `${what} ${JSON.stringify(String(id))} does not exist`);

export const badRequest = (code: ErrorCode, message: string, details?: unknown) => new AppError(400, code, message, details);
