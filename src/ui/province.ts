import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context";
import type { Db } from "../db/client";
import { findPlace, provinceOf, regionDirectory } from "../services/regions";

/** The province a pharmacist chose last, kept for a year in this browser (search, product and price-check pages). */
export const PROVINCE_COOKIE = "vbp_province";

export type ProvinceOption = { code: string; name: string };

export type ProvinceChoice = {
  /** Provincial-level purchasers (the provinces and 新疆生产建设兵团), by code: the choices of the 省份 select. */
  options: ProvinceOption[];
  /** The chosen code, or null for 全国. */
  code: string | null;
  name: string | null;
  /** Every region code → name (pages name supply regions with it). */
  names: Map<string, string>;
};

/**
 * The province of this page: the one asked for (`province=`, by code, name or a city in it; an empty choice means 全国 and
 * forgets the remembered one), else the remembered one. Only the select's codes count; the
 * filtering itself is the services' (province= of src/services/price-filter.ts).
 */
export async function chooseProvince(c: Context<AppEnv>, asked: string | undefined = c.req.query("province")): Promise<ProvinceChoice> {
  const { names, purchasers: options } = await regionDirectory(c.get("deps").db);
  const known = (code: string | undefined) => (code && options.some((o) => o.code === code) ? code : null);
  let code: string | null;
  if (asked !== undefined) {
    code = known(asked) ?? known(await provinceNamed(c.get("deps").db, asked));
    setCookie(c, PROVINCE_COOKIE, code ?? "", { path: "/", sameSite: "Lax", httpOnly: true, maxAge: code ? 365 * 86400 : 0 });
  } else {
    code = known(getCookie(c, PROVINCE_COOKIE));
  }
  return { options, code, name: code ? (names.get(code) ?? null) : null, names };
}

/**
 * The code of the province a link names as the API reads `province=` (浙江省, 浙江, 330000, or a
 * city: 厦门市 is in 福建), so that a link shared from the API or typed by hand opens the page on that
 * province instead of 全国.
 */
async function provinceNamed(db: Db, text: string): Promise<string | undefined> {
  const place = await findPlace(db, text);
  return place ? (await provinceOf(db, place)).code : undefined;
}

/** `include=ended` (the pages' toggle; `state=all` from older links means the same): ended and upcoming prices too. */
export function readIncludeEnded(query: { include?: string; state?: string }): boolean {
  return query.include === "ended" || query.include === "all" || query.state === "all";
}
