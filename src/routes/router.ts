import { OpenAPIHono, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { validationError } from "./errors";

/** A router whose invalid requests all answer the contract's 400 shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result, c) => {
      if (!result.success) return validationError(c, result.error);
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;

/** A handler typed by its route's contract: validated input in, only the declared answers out. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
