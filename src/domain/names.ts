/**
 * Normalizes text the way users type it: full-width to half-width (NFKC), lower case, and runs of
 * white space collapsed. Used for natural keys and search keys so 阿托伐他汀钙片（10mg） and
 * 阿托伐他汀钙片(10MG) are the same thing.
 */
export function normalizeText(text: string | null | undefined): string {
  if (!text) return "";
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** normalizeText without any space: the key two spellings of one name or code share (北京 嘉林 = 北京嘉林). */
export function compactText(text: string | null | undefined): string {
  return normalizeText(text).replace(/ /g, "");
}

/** Identity of a product: its insurance code when it has one, else the normalized descriptive fields. */
export function productNaturalKey(p: {
  nhsaCode?: string | null;
  genericName: string;
  dosageForm?: string | null;
  spec?: string | null;
  packageQty?: number | null;
  manufacturer?: string | null;
}): string {
  const code = normalizeText(p.nhsaCode);
  if (code) return `code:${code.toUpperCase()}`;
  const parts = [p.genericName, p.dosageForm, p.spec, p.packageQty == null ? "" : String(p.packageQty), p.manufacturer];
  return `name:${parts.map((x) => compactText(x == null ? "" : String(x))).join("|")}`;
}
