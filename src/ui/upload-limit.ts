import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../context";
import { AppError } from "../errors";

/** The API's upload size limit for the pages' forms, with room for a file carried base64-encoded. */
export const uploadBodyLimit = (c: Context<AppEnv>, next: () => Promise<void>) =>
  bodyLimit({
    maxSize: Math.ceil(c.get("deps").importBodyLimitBytes * 1.4) + 65_536,
    onError: () => {
      throw new AppError(413, "payload_too_large", `文件超过了 ${Math.round(c.get("deps").importBodyLimitBytes / 1048576)} MB 的上限`);
    },
  })(c, next);
