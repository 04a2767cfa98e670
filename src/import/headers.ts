/**
 * Header matching as DOMAIN.md says: trim, full-width → half-width, drop a trailing unit in
 * brackets (中选价格（元） → 中选价格), compare case-insensitively. A bracket that says the figure
 * is per smallest unit (（最小规格）) is kept: it changes what the column holds.
 */
export function normalizeHeader(raw: string): string {
  let h = raw
    .normalize("NFKC")
    .replace(/^\ufeff/, "")
    .replace(/\s+/g, "")
    .toLowerCase();
  for (;;) {
    const m = /[([【]([^()[\]【】]*)[)\]】]$/.exec(h);
    if (!m || m[1]!.includes("最小")) break;
    h = h.slice(0, m.index);
  }
  return h;
}

export type FieldDef = {
  field: string;
  /** Canonical English header first, then accepted Chinese aliases. */
  aliases: readonly string[];
  required?: boolean;
  /** Fields sharing a group: at least one of them must be a column (a price per package or per unit). */
  requiredGroup?: string;
};

export type HeaderMatch = {
  /** column index → canonical field */
  columns: Map<number, string>;
  unknown: string[];
  missing: string[];
  duplicated: string[];
  /** Unknown headers with the known header they most resemble. */
  suggestions: Map<string, string>;
};

/** Columns mapped by hand: field → the header as the file writes it. */
export type ColumnMap = ReadonlyMap<string, string>;

/** Maps a header row onto the fields of one import kind; `manual` mappings win over aliases. */
export function matchHeaders(headerRow: readonly string[], fields: readonly FieldDef[], manual: ColumnMap = new Map()): HeaderMatch {
  const lookup = aliasLookup(fields);
  const byHand = new Map<string, string>();
  for (const [field, header] of manual) byHand.set(normalizeHeader(header), field);
  const columns = new Map<number, string>();
  const seen = new Set<string>();
  const unknown: string[] = [];
  const duplicated: string[] = [];
  const suggestions = new Map<string, string>();
  // Columns mapped by hand first, so the alias of the field they take is not a duplicate.
  const handled = new Set<number>();
  headerRow.forEach((raw, index) => {
    const field = byHand.get(normalizeHeader(raw));
    if (field && raw.trim() !== "" && !seen.has(field)) {
      seen.add(field);
      columns.set(index, field);
      handled.add(index);
    }
  });
  headerRow.forEach((raw, index) => {
    if (handled.has(index)) return;
    const field = lookup.get(normalizeHeader(raw));
    if (!field) {
      if (raw.trim() !== "") {
        unknown.push(raw.trim());
        const near = closestHeader(raw, fields);
        if (near) suggestions.set(raw.trim(), near);
      }
      return;
    }
    if (seen.has(field)) {
      if (![...manual.keys()].includes(field)) duplicated.push(raw.trim());
    } else {
      seen.add(field);
      columns.set(index, field);
    }
  });
  const missing = fields.filter((f) => f.required && !seen.has(f.field)).map((f) => f.field);
  const groups = new Map<string, string[]>();
  for (const f of fields) if (f.requiredGroup) groups.set(f.requiredGroup, [...(groups.get(f.requiredGroup) ?? []), f.field]);
  for (const members of groups.values()) if (!members.some((m) => seen.has(m))) missing.push(members.join(" or "));
  return { columns, unknown, missing, duplicated, suggestions };
}

/** How many cells of a row are headers of this kind: used to find the header row under title rows. */
export function headerScore(row: readonly string[], fields: readonly FieldDef[]): number {
  const known = aliasLookup(fields);
  return row.filter((cell) => known.has(normalizeHeader(cell))).length;
}

const lookups = new WeakMap<readonly FieldDef[], Map<string, string>>();

function aliasLookup(fields: readonly FieldDef[]): Map<string, string> {
  let lookup = lookups.get(fields);
  if (!lookup) {
    lookup = new Map();
    for (const f of fields) for (const alias of [f.field, ...f.aliases]) lookup.set(normalizeHeader(alias), f.field);
    lookups.set(fields, lookup);
  }
  return lookup;
}

/**
 * The known header an unknown one most likely meant (a typo, a missing or extra character): the
 * alias at the smallest edit distance, when that distance is small for the header's length.
 */
export function closestHeader(raw: string, fields: readonly FieldDef[]): string | null {
  const h = normalizeHeader(raw);
  if (h === "") return null;
  let best: { alias: string; d: number } | null = null;
  for (const f of fields) {
    for (const alias of [f.field, ...f.aliases]) {
      const d = editDistance(h, normalizeHeader(alias));
      if (best === null || d < best.d) best = { alias, d };
    }
  }
  if (!best) return null;
  const limit = Math.max(1, Math.floor(Math.min(h.length, normalizeHeader(best.alias).length) / 3));
  return best.d <= limit ? best.alias : null;
}

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * Reads a hand mapping as users write it: `chosenUnitPrice=竞标价格（最小规格）（元）`, several
 * separated by `;` or line breaks (or given as repeated options). Unknown fields are errors.
 */
export function parseColumnMap(specs: readonly string[], fields: readonly FieldDef[]): { map: Map<string, string>; errors: string[] } {
  const map = new Map<string, string>();
  const errors: string[] = [];
  const known = new Set(fields.map((f) => f.field));
  for (const spec of specs.flatMap((s) => s.split(/[;\n]/))) {
    if (spec.trim() === "") continue;
    const eq = spec.indexOf("=");
    const field = eq < 0 ? "" : spec.slice(0, eq).trim();
    const header = eq < 0 ? "" : spec.slice(eq + 1).trim();
    if (!field || !header) errors.push(`"${spec.trim()}" is not a mapping; write field=header, e.g. chosenUnitPrice=竞标价格（最小规格）（元）`);
    else if (!known.has(field)) errors.push(`"${field}" is not a field of this kind; fields: ${[...known].join(", ")}`);
    else map.set(field, header);
  }
  return { map, errors };
}
