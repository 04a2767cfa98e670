import { PriceQuerySchema } from "../routes/prices/prices.routes";
import type { PriceQuery } from "../services/prices";
import { queryProblemZh } from "./query-problems-zh";

/** Query text from parameters, leaving out empty ones so links stay short and readable. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** Form fields arrive as empty strings when a filter is left at "全部"; they mean "not given". */
export function nonEmpty(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v.trim() !== ""));
}

export type PageQuery = { ok: true; query: PriceQuery & { limit: number } } | { ok: false; problems: string[] };

/**
 * Reads a page's price query with the API's own schema, so a page and the API accept the same
 * filters; what it refuses is said in Chinese.
 */
export function readPriceQuery(raw: Record<string, string>, defaultLimit = 20): PageQuery {
  const given = nonEmpty(raw);
  const parsed = PriceQuerySchema.safeParse({ limit: String(defaultLimit), ...given });
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => queryProblemZh(issue, given)) };
  }
  return { ok: true, query: parsed.data as PriceQuery & { limit: number } };
}

/** The filters of a price query (no paging), as URL parameters. */
export function filterParams(q: PriceQuery): Record<string, string | undefined> {
  return {
    q: q.q,
    batch: q.batch,
    category: q.category,
    level: q.level,
    region: q.region,
    manufacturer: q.manufacturer,
    minDiscount: q.minDiscount === undefined ? undefined : String(q.minDiscount),
    maxUnitPrice: q.maxUnitPrice === undefined ? undefined : String(q.maxUnitPrice),
  };
}
