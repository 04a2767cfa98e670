import { hc } from "hono/client";
import type { AppType } from "../../src/app";

/**
 * Hono's typed RPC client over an app in this process: the same calls an integrator writes
 * against a server (`hc<AppType>("https://…")`), so a contract change that breaks clients breaks
 * the tests that use it, at compile time.
 */
export function typedClient(app: { request: (input: string | Request | URL, init?: RequestInit) => Response | Promise<Response> }, headers?: Record<string, string>) {
  return hc<AppType>("http://localhost", { fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input instanceof Request ? input : String(input), init), headers });
}
