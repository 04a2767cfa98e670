/**
 * Strength (规格) normalised for matching and equivalence: what a pharmacist types and what files
 * print differ in spacing, case, full-width characters and units (10 mg = 10mg, 0.5g = 500mg,
 * 1g:5ml = 1000mg:5ml). Masses become mg, volumes ml, international units IU; any number keeps its
 * exact decimal value (no binary floats: 0.1g is 100mg, not 100.00000000000001mg).
 */

const UNITS: Record<string, { unit: string; scale: number }> = {
  kg: { unit: "mg", scale: 6 },
  g: { unit: "mg", scale: 3 },
  mg: { unit: "mg", scale: 0 },
  μg: { unit: "mg", scale: -3 },
  µg: { unit: "mg", scale: -3 },
  ug: { unit: "mg", scale: -3 },
  mcg: { unit: "mg", scale: -3 },
  l: { unit: "ml", scale: 3 },
  ml: { unit: "ml", scale: 0 },
  iu: { unit: "iu", scale: 0 },
  u: { unit: "iu", scale: 0 },
  万iu: { unit: "iu", scale: 4 },
  万u: { unit: "iu", scale: 4 },
  万单位: { unit: "iu", scale: 4 },
  单位: { unit: "iu", scale: 0 },
  克: { unit: "mg", scale: 3 },
  毫克: { unit: "mg", scale: 0 },
  微克: { unit: "mg", scale: -3 },
  毫升: { unit: "ml", scale: 0 },
  升: { unit: "ml", scale: 3 },
};

const AMOUNT = /(\d+(?:\.\d+)?)\s*(万iu|万u|万单位|mcg|kg|mg|μg|µg|ug|ml|iu|毫克|微克|毫升|单位|g|l|u|克|升)(?![a-z])/g;

/** A decimal string times 10^scale, exactly, without trailing zeros. */
function shift(num: string, scale: number): string {
  const [intPart, frac = ""] = num.split(".") as [string, string?];
  let digits = intPart + frac;
  let point = intPart.length + scale;
  if (point > digits.length) digits = digits.padEnd(point, "0");
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
  const rest = digits.slice(point).replace(/0+$/, "");
  return rest ? `${whole}.${rest}` : whole;
}

/**
 * The strength as one canonical text: NFKC-folded, lower case, spaces dropped, each amount in mg,
 * ml or IU. Text that holds no amount (a device model) keeps its folded form. Null stays null.
 */
export function normalizeStrength(spec: string | null | undefined): string | null {
  if (spec === null || spec === undefined) return null;
  const folded = spec.normalize("NFKC").toLowerCase().replace(/\s+/g, "").replace(/：/g, ":").replace(/∶/g, ":");
  if (!folded) return null;
  return folded.replace(AMOUNT, (_, num: string, unit: string) => {
    const u = UNITS[unit];
    return u ? `${shift(num, u.scale)}${u.unit}` : `${num}${unit}`;
  });
}

/** True when two strengths are the same once normalised (both unknown counts as the same). */
export const sameStrength = (a: string | null | undefined, b: string | null | undefined) => normalizeStrength(a) === normalizeStrength(b);

/**
 * The amounts of a strength, normalised and in a fixed order, whatever joins them: 5ml:50mg and
 * 50mg/5ml hold the same two (files print a solution's strength either way round).
 */
export function strengthAmounts(spec: string | null | undefined): string[] {
  return [...(normalizeStrength(spec) ?? "").matchAll(/\d+(?:\.\d+)?(?:mg|ml|iu)/g)].map((m) => m[0]).sort();
}

/**
 * Typed text with a number separated from its unit joined up (阿托伐 10 mg → 阿托伐 10mg), so a
 * strength stays one search word.
 */
export function joinAmounts(text: string): string {
  return text.replace(/(\d)\s+(mg|g|ml|μg|µg|ug|mcg|iu|u|l|万iu|毫克|克|毫升|微克|单位)(?![a-z])/gi, "$1$2");
}

const NORMALIZED_AMOUNT = String.raw`\d+(?:\.\d+)?(?:mg|ml|iu)`;
const WHOLE_STRENGTH = new RegExp(`^${NORMALIZED_AMOUNT}(?:[:/+×*x]${NORMALIZED_AMOUNT})*$`);

/** True when a typed word is a strength: amounts with units, alone or as a ratio (10mg, 0.5g, 1g:5ml). */
export function isStrength(word: string): boolean {
  const n = normalizeStrength(word);
  return n !== null && WHOLE_STRENGTH.test(n);
}

/** How files spell one amount, as [unit, power of ten from the normalised unit]. */
const SPELLINGS: Record<string, Array<[string, number]>> = {
  mg: [
    ["mg", 0],
    ["g", -3],
    ["μg", 3],
    ["ug", 3],
    ["mcg", 3],
    ["毫克", 0],
    ["克", -3],
    ["微克", 3],
  ],
  ml: [
    ["ml", 0],
    ["l", -3],
    ["毫升", 0],
    ["升", -3],
  ],
  iu: [
    ["iu", 0],
    ["u", 0],
    ["单位", 0],
    ["万iu", -4],
    ["万u", -4],
    ["万单位", -4],
  ],
};

/**
 * The ways a file may print the first amount of a typed strength (0.5g → 500mg, 0.5g, 500000μg …),
 * lower case and without spaces: a cheap first test on stored text, before containsStrength.
 */
export function strengthSpellings(word: string): string[] {
  const m = /^(\d+(?:\.\d+)?)(mg|ml|iu)/.exec(normalizeStrength(word) ?? "");
  if (!m) return [];
  const [, num = "", unit = ""] = m;
  return (SPELLINGS[unit] ?? []).map(([u, scale]) => `${shift(num, scale)}${u}`);
}

/**
 * True when stored text (a product's spec, form, package …) holds the typed strength once both are
 * normalised, as whole amounts: 10 mg is in 10mg×7 and in 10mg:5ml, 0.5g in 500mg, but 10mg is not
 * in 110mg nor in 10.5mg.
 */
export function containsStrength(text: string, word: string): boolean {
  const hay = normalizeStrength(text);
  const needle = normalizeStrength(word);
  if (!hay || !needle) return false;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    const before = hay[i - 1] ?? "";
    const after = hay[i + needle.length] ?? "";
    if (!/[0-9.]/.test(before) && !/[a-z0-9.]/.test(after)) return true;
  }
  return false;
}
