import { env, exports } from "cloudflare:workers";

export const ORIGIN = "https://vbp.test";

/** Sends a request through the Worker's own fetch handler (src/worker.ts) with the configured bindings. */
export async function call<T = any>(path: string, init?: RequestInit): Promise<{ status: number; body: T; res: Response }> {
  const res = await exports.default.fetch(`${ORIGIN}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, res };
}

/** POSTs a CSV file to the import endpoint as the admin. */
export function importCsv(query: string, csv: string | Uint8Array, token: string = env.ADMIN_TOKEN) {
  return call(`/api/v1/imports?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: (typeof csv === "string" ? new TextEncoder().encode(csv) : csv) as Uint8Array<ArrayBuffer>,
  });
}

export const q = (text: string) => encodeURIComponent(text);
