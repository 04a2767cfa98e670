/**
 * The text of one cell as the import reads it, from the value exceljs gives: formulas give their
 * cached result (what Excel last computed and showed), rich text its plain text, dates an ISO
 * date, numbers their full stored precision (23.333333333333332: rounding is the importer's job,
 * so it can say which cells it rounded).
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return isoDate(value);
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if ("result" in v || "formula" in v || "sharedFormula" in v) return cellText(v.result);
    if (Array.isArray(v.richText)) return v.richText.map((part: { text?: unknown }) => String(part.text ?? "")).join("");
    if ("text" in v) return cellText(v.text);
    if ("error" in v) return String(v.error);
  }
  return String(value);
}

/** Plain decimal text, never exponent notation (1e-7 → 0.0000001), so the money parser reads it. */
export function numberText(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([-+]\d+)$/i.exec(s);
  if (!m) return s;
  const [, sign, whole = "", frac = "", exp = "0"] = m;
  const digits = whole + frac;
  const point = whole.length + Number(exp);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`.replace(/0+$/, "");
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Excel dates carry no zone: exceljs reads them as UTC midnight (plus a time when one is given). */
function isoDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return "";
  const iso = d.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
}
