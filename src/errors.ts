/**
 * Errors a caller can act on. Services throw these; the app turns them into the one JSON error
 * shape of the contract, so no route has to know about status codes of another layer.
 */
export class AppError extends Error {
  constructor(
    public readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 501 | 503,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    public readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string, id: string | number) =>
  new AppError(404, "not_found", `${what} ${JSON.stringify(String(id))} does not exist`);

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
