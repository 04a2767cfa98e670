/**
 * Header matching as DOMAIN.md says: trim, full-width → half-width, drop a trailing unit in
 * brackets (中选价格（元） → 中选价格), compare case-insensitively.
 */
export function normalizeHeader(raw: string): string {
  return raw
    .normalize("NFKC")
    .replace(/^\ufeff/, "")
    .trim()
    .replace(/\s*[(\[【][^()\[\]【】]*[)\]】]\s*$/, "")
    .replace(/\s+/g, "")
    .toLowerCase();
}

export type FieldDef = {
  field: string;
  /** Canonical English header first, then accepted Chinese aliases. */
  aliases: readonly string[];
  required?: boolean;
};

export type HeaderMatch = {
  /** column index → canonical field */
  columns: Map<number, string>;
  unknown: string[];
  missing: string[];
  duplicated: string[];
};

/** Maps a header row onto the fields of one import kind. */
export function matchHeaders(headerRow: readonly string[], fields: readonly FieldDef[]): HeaderMatch {
  const lookup = new Map<string, string>();
  for (const f of fields) for (const alias of [f.field, ...f.aliases]) lookup.set(normalizeHeader(alias), f.field);
  const columns = new Map<number, string>();
  const seen = new Set<string>();
  const unknown: string[] = [];
  const duplicated: string[] = [];
  headerRow.forEach((raw, index) => {
    const field = lookup.get(normalizeHeader(raw));
    if (!field) {
      if (raw.trim() !== "") unknown.push(raw.trim());
      return;
    }
    if (seen.has(field)) duplicated.push(raw.trim());
    else {
      seen.add(field);
      columns.set(index, field);
    }
  });
  const missing = fields.filter((f) => f.required && !seen.has(f.field)).map((f) => f.field);
  return { columns, unknown, missing, duplicated };
}

/** How many cells of a row are headers of this kind: used to find the header row under title rows. */
export function headerScore(row: readonly string[], fields: readonly FieldDef[]): number {
  const known = new Set(fields.flatMap((f) => [f.field, ...f.aliases].map(normalizeHeader)));
  return row.filter((cell) => known.has(normalizeHeader(cell))).length;
}
