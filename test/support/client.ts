import type { z } from "@hono/zod-openapi";
import { hc } from "hono/client";
import type { AppType } from "../../src/app";
import type { ErrorSchema } from "../../src/routes/schemas";

type ErrorBody = z.infer<typeof ErrorSchema>;

/**
 * Hono's typed RPC client over an app in this process: the same calls an integrator writes
 * against a server (`hc<AppType>("https://…")`), so a contract change that breaks clients breaks
 * the tests that use it, at compile time.
 */
export function typedClient(
  app: { request: (input: string | Request | URL, init?: RequestInit) => Response | Promise<Response> },
  headers?: Record<string, string>,
) {
  return hc<AppType>("http://localhost", {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input instanceof Request ? input : String(input), init),
    headers,
  });
}

type Answer = { ok: boolean; status: number; text(): Promise<string>; json(): Promise<unknown> };

/**
 * The JSON of a 2xx answer, typed by the contract (the success answers' schemas); any other status
 * fails the test, naming it and the body.
 */
export async function okJson<R extends Answer>(pending: R | Promise<R>): Promise<Awaited<ReturnType<Extract<R, { ok: true }>["json"]>>> {
  const res = await pending;
  if (!res.ok) throw new Error(`answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Awaited<ReturnType<Extract<R, { ok: true }>["json"]>>;
}

/** The contract's error body of a non-2xx answer (`{ error: { code, message, details, requestId } }`), checked at run time. */
export async function errorJson(pending: Answer | Promise<Answer>): Promise<{ status: number; body: ErrorBody }> {
  const res = await pending;
  if (res.ok) throw new Error(`answered ${res.status} where an error was expected: ${await res.text()}`);
  const body = (await res.json()) as ErrorBody;
  if (typeof body?.error?.code !== "string") throw new Error(`answered ${res.status} without the error body: ${JSON.stringify(body)}`);
  return { status: res.status, body };
}
