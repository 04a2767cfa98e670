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
};

/** The configured upload limit (IMPORT_BODY_LIMIT_MB) on a route that takes a file; 413 above it. */
export function uploadLimit({ limitOf = (deps) => deps.importBodyLimitBytes, allowance = (n) => n, message }: UploadLimitOptions) {
  return (c: Context<AppEnv>, next: () => Promise<void>) => {
    const limit = limitOf(c.get("deps"));
    return bodyLimit({
      maxSize: allowance(limit),
      onError: () => {
        throw new AppError(413, "payload_too_large", message(Math.round(limit / 1048576)));
      },
    })(c, next);
  };
}

/** The API's limit, with its English message. */
export const apiUploadLimit = uploadLimit({ message: (mb) => `the file is larger than the limit of ${mb} MB` });

/** The price check's limit (PRICE_CHECK_BODY_LIMIT_MB): anyone may post a purchase list. */
export const priceCheckUploadLimit = uploadLimit({
  limitOf: (deps) => deps.priceCheckBodyLimitBytes ?? deps.importBodyLimitBytes,
  message: (mb) => `the purchase list is larger than the limit of ${mb} MB`,
});
