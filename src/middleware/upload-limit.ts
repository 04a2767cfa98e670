import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppDeps, AppEnv } from "../context";
import { AppError } from "../errors";

type UploadLimitOptions = {
  /** Which configured limit applies (default IMPORT_BODY_LIMIT_MB). */
  limitOf?: (deps: AppDeps) => number;
  /** Bytes allowed for a configured limit, e.g. room for a file carried base64-encoded in a form. */
  allowance?: (limitBytes: number) => number;
  /** What the 413 says, given the configured limit in MB. */
  message: (limitMb: number) => string;
  /**
   * True when the handler reads the body as a stream and counts it against the limit itself (a
   * spooled upload): only a declared Content-Length over the limit is refused here, so the body
   * is not gathered in memory first, as Hono's bodyLimit does with a chunked body (0.34× the uploads/s
   * of this on chunked 4 MB bodies, npm run bench -- middleware).
   */
  streamed?: (deps: AppDeps) => boolean;
};

/** The configured upload limit (IMPORT_BODY_LIMIT_MB) on a route that takes a file; 413 above it. */
export function uploadLimit({ limitOf = (deps) => deps.importBodyLimitBytes, allowance = (n) => n, message, streamed }: UploadLimitOptions) {
  return (c: Context<AppEnv>, next: () => Promise<void>) => {
    const deps = c.get("deps");
    const limit = limitOf(deps);
    if (streamed?.(deps)) {
      const declared = Number(c.req.header("content-length") ?? "0");
      if (declared > allowance(limit)) throw new AppError(413, "payload_too_large", message(Math.round(limit / 1048576)));
      return next();
    }
    return bodyLimit({
      maxSize: allowance(limit),
      onError: () => {
        throw new AppError(413, "payload_too_large", message(Math.round(limit / 1048576)));
      },
    })(c, next);
  };
}

/** Names the way in for a larger file: the CLI streams any size into the same database (D1, Turso or the file). */
const apiTooLargeMessage = (mb: number) =>
  `the file is larger than the limit of ${mb} MB; import larger files with \`npm run import\` against the same database (D1, Turso or the file), or split them by batch or province`;

/** The API's limit, with its English message; an import spooled on Node counts its body as it arrives. */
export const apiUploadLimit = uploadLimit({ message: apiTooLargeMessage, streamed: (deps) => Boolean(deps.spoolUpload) });

/** The API's 413, for a body found too large while it is read. */
export const apiUploadTooLarge = (limitBytes: number) => new AppError(413, "payload_too_large", apiTooLargeMessage(Math.round(limitBytes / 1048576)));

/** The price check's limit (PRICE_CHECK_BODY_LIMIT_MB): anyone may post a purchase list. */
export const priceCheckUploadLimit = uploadLimit({
  limitOf: (deps) => deps.priceCheckBodyLimitBytes ?? deps.importBodyLimitBytes,
  message: (mb) => `the purchase list is larger than the limit of ${mb} MB`,
});
