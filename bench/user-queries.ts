import { loadSearchKeys } from "../src/domain/search-keys";
import type { PriceQuery, PriceSort } from "../src/services/prices";
import { DEVICE_TEMPLATES, DRUG_TEMPLATES, PROVINCES, Rng, SYNTHETIC_BATCH_DEFS, SYNTHETIC_DEVICE_FIRMS, SYNTHETIC_DRUG_FIRMS } from "../src/synthetic";

const searchKeys = await loadSearchKeys();

/**
 * A deterministic generator of what users send to `GET /api/v1/prices`: every parameter, alone and
 * combined, at arbitrary values, each query distinct. Classes are what the bench reports on.
 */
export type UserQuery = { cls: QueryClass; query: PriceQuery; walk?: number };

export const QUERY_CLASSES = [
  "q: chinese fragment",
  "q: 拼音码",
  "q: english",
  "q: firm",
  "q: code",
  "listing, each sort",
  "one filter",
  "filters combined",
  "q + filters + sort",
  "deep cursor page",
] as const;
export type QueryClass = (typeof QUERY_CLASSES)[number];

const SORTS: readonly PriceSort[] = ["relevance", "discount", "-discount", "unitPrice", "-unitPrice"];
const NAMES = [...DRUG_TEMPLATES, ...DEVICE_TEMPLATES];
const FIRMS = [...SYNTHETIC_DRUG_FIRMS, ...SYNTHETIC_DEVICE_FIRMS];

function slice(rng: Rng, text: string, min: number, max: number): string {
  const chars = [...text];
  const len = Math.min(chars.length, rng.int(min, max));
  const start = rng.int(0, chars.length - len);
  return chars.slice(start, start + len).join("");
}

/** Filters the generator sets: batch, level, category, region, manufacturer, reduction, price, province, asOf, state, include, synthetic. */
const FILTER_KINDS = 12;

/** A filter with an arbitrary value, as a user of the API or the pages would set it. */
function filter(rng: Rng, q: PriceQuery, which: number, cities: readonly string[]): void {
  switch (which) {
    case 0:
      q.batch = rng.pick(SYNTHETIC_BATCH_DEFS).id;
      break;
    case 1:
      q.level = rng.pick(["national", "alliance", "provincial", "municipal"] as const);
      break;
    case 2:
      q.category = rng.pick(["drug", "device"] as const);
      break;
    case 3:
      q.region = rng.chance(0.7) ? rng.pick(PROVINCES).name : rng.pick(cities);
      break;
    case 4:
      q.manufacturer = slice(rng, rng.pick(FIRMS), 2, 6);
      break;
    case 5:
      q.minDiscount = Math.round(rng.float() * 9500) / 100;
      break;
    case 6:
      q.maxUnitPrice = Math.round(rng.logUniform(0.01, 500) * 10000) / 10000;
      break;
    case 7:
      q.province = rng.chance(0.8) ? rng.pick(PROVINCES).name : rng.pick(cities);
      break;
    case 8:
      q.asOf = `${rng.int(2018, 2028)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
      break;
    case 9:
      q.state = rng.pick([["in_force"], ["ended"], ["upcoming"], ["in_force", "upcoming"], ["ended", "in_force"]] as const);
      break;
    case 10:
      q.include = "ended";
      break;
    default:
      q.synthetic = rng.chance(0.5);
  }
}

/**
 * `count` distinct queries (at least 300 make a useful tail), in a fixed order for a given seed.
 * `codes` and `cities` come from the database measured, so that every query is one it can answer.
 */
export function userQueries(count: number, codes: readonly string[], cities: readonly string[], seed = 7): UserQuery[] {
  const rng = new Rng(seed);
  // Draws of their own for the codes and firms under filters, so the other queries stay what they were.
  const aside = new Rng(seed + 1);
  let withFilters = 0;
  const out: UserQuery[] = [];
  const seen = new Set<string>();
  const add = (cls: QueryClass, query: PriceQuery, walk?: number) => {
    const key = JSON.stringify([query, walk ?? 0]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ cls, query: { limit: rng.pick([20, 20, 50, 100]), ...query }, walk });
  };
  for (let guard = 0; out.length < count && guard < count * 50; guard++) {
    const cls = QUERY_CLASSES[guard % QUERY_CLASSES.length] as QueryClass;
    const name = rng.pick(NAMES);
    switch (cls) {
      case "q: chinese fragment":
        add(cls, { q: slice(rng, name.genericName, 1, 6) });
        break;
      case "q: 拼音码": {
        const initials = searchKeys(name.genericName).nameInitials;
        add(cls, { q: initials.slice(0, rng.int(2, initials.length)) });
        break;
      }
      case "q: english": {
        const en = name.genericNameEn;
        add(cls, { q: rng.chance(0.5) ? en.slice(0, rng.int(4, en.length)) : en });
        break;
      }
      case "q: firm":
        add(cls, { q: slice(rng, rng.pick(FIRMS), 2, 8) });
        break;
      case "q: code": {
        if (codes.length === 0) break;
        const code = rng.pick(codes);
        add(cls, { q: code.slice(0, rng.int(Math.min(6, code.length), code.length)) });
        break;
      }
      case "listing, each sort":
        add(cls, { sort: rng.pick(SORTS), ...(rng.chance(0.3) ? { limit: 100 } : {}) });
        break;
      case "one filter": {
        const q: PriceQuery = {};
        filter(rng, q, rng.int(0, FILTER_KINDS - 1), cities);
        if (rng.chance(0.5)) q.sort = rng.pick(SORTS);
        add(cls, q);
        break;
      }
      case "filters combined": {
        const q: PriceQuery = {};
        const n = rng.int(2, 4);
        for (let i = 0; i < n; i++) filter(rng, q, rng.int(0, FILTER_KINDS - 1), cities);
        if (rng.chance(0.6)) q.sort = rng.pick(SORTS);
        add(cls, q);
        break;
      }
      case "q + filters + sort": {
        const q: PriceQuery = { q: rng.chance(0.5) ? slice(rng, name.genericName, 1, 4) : searchKeys(name.genericName).nameInitials.slice(0, 3) };
        const n = rng.int(1, 3);
        for (let i = 0; i < n; i++) filter(rng, q, rng.int(0, FILTER_KINDS - 1), cities);
        q.sort = rng.pick(SORTS);
        // Every third asks for a start of a code or a firm's fragment under the same filters instead of a name.
        withFilters++;
        if (withFilters % 6 === 0) q.q = slice(aside, aside.pick(FIRMS), 2, 8);
        else if (withFilters % 6 === 3 && codes.length) {
          const code = aside.pick(codes);
          q.q = code.slice(0, aside.int(Math.min(6, code.length), code.length));
        }
        add(cls, q);
        break;
      }
      case "deep cursor page": {
        const q: PriceQuery = rng.chance(0.5) ? { q: slice(rng, name.genericName, 1, 3) } : {};
        if (rng.chance(0.5)) q.sort = rng.pick(SORTS);
        if (rng.chance(0.3)) filter(rng, q, rng.int(0, FILTER_KINDS - 1), cities);
        add(cls, q, rng.int(3, 25));
        break;
      }
    }
  }
  return out;
}

/** A query as the URL a client sends. */
export function queryPath(query: PriceQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  return `/api/v1/prices?${params.toString()}`;
}

const NUMERIC = new Set(["limit", "minDiscount", "maxUnitPrice"]);

/** A URL of GET /api/v1/prices as the query the route hands the search (the inverse of queryPath). */
export function pathQuery(path: string): PriceQuery {
  const query: Record<string, string | number> = {};
  for (const [k, v] of new URLSearchParams(path.slice(path.indexOf("?") + 1))) query[k] = NUMERIC.has(k) ? Number(v) : v;
  return query as PriceQuery;
}
