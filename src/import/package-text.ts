export type PackageInfo = { packageQty: number; smallestUnit: string | null; packageUnit: string | null };

const UNIT = "[\\u4e00-\\u9fa5a-zA-Z]+";

/** Package or spec text as the readers parse it: NFKC, no spaces, every multiplication sign as `*`. */
export function packText(raw: string): string {
  return raw
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/[×xX✕]/g, "*");
}

/**
 * Reads the smallest units per package from package text: `7片/盒`, `10mg*7片*2板/盒`
 * (7 × 2 = 14 片 per 盒), `0.5g×24粒`, `24粒/瓶`. Strength parts (10mg, 0.5g, 5ml) are skipped
 * because they describe the unit, not the count. Null when the text gives no count.
 */
export function parsePackageText(raw: string | null | undefined): PackageInfo | null {
  if (!raw) return null;
  const text = packText(raw);
  const [contents = "", outer] = text.split("/");
  const parts = contents.split("*").filter(Boolean);
  let qty = 1;
  let smallestUnit: string | null = null;
  let counted = false;
  for (const part of parts) {
    const m = new RegExp(`^(\\d+)(${UNIT})$`).exec(part);
    if (!m || isStrength(m[2]!)) continue;
    qty *= Number(m[1]);
    // The first counted unit is the smallest one (片 in 7片*2板).
    smallestUnit ??= m[2]!;
    counted = true;
  }
  if (!counted || qty <= 0 || !Number.isSafeInteger(qty)) return null;
  const packageUnit = outer && new RegExp(`^${UNIT}$`).test(outer) ? outer : null;
  return { packageQty: qty, smallestUnit, packageUnit };
}

function isStrength(unit: string): boolean {
  return /^(mg|g|kg|μg|ug|mcg|ml|l|iu|u|万u|万iu|mmol|%)$/i.test(unit);
}
