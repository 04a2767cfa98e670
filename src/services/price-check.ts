import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { readRows } from "../db/read-rows";
import { batches, type ProductRow, priceSearch, prices, products } from "../db/schema";
import { renderedAlias } from "../db/trusted-sql";
import {
  addFractions,
  compareFractions,
  compareLine,
  e4ToYuan,
  type Fraction,
  fractionE4ToYuan,
  type PriceCheckClass,
  unitPrice,
  ZERO_FRACTION,
} from "../domain";
import { compactText } from "../domain/names";
import { firmMatch, formFits, formsAgree, publishedNames } from "../domain/purchase-match";
import { normalizeStrength } from "../domain/strength";
import { AppError } from "../errors";
import { DecodeError, decodeCsvBytes } from "../import/decode";
import type { WorkbookOpener } from "../import/open-file";
import { PURCHASE_LIST_FIELDS, type PurchaseLine, readPurchaseLine } from "../import/purchase-list";
import { type CsvTable, readCsv } from "../import/read-csv";
import { type RowIssue, RowReader } from "../import/row-reader";
import { bytesSource } from "../import/source";
import { LEGACY_XLS_MESSAGE, sniffFormat } from "../import/xlsx/sniff";
import type { JsonParts } from "./json-bodies";
import { type PriceFilterInput, parsePriceFilter } from "./price-filter";
import { type FilterSql, renderFilter } from "./price-filter-sql";
import { allOf } from "./search-sql";

/**
 * Where and when the hospital buys: only chosen prices it can pay (supplied to its province, in
 * force or of unknown cycle on asOf unless include/state say otherwise) are matched or offered.
 */
export type PriceCheckWhere = Pick<PriceFilterInput, "province" | "region" | "asOf" | "include" | "state">;

/** What a check is asked besides the list: where and when the hospital buys, and which sheet of a workbook to read. */
export type PriceCheckQuery = PriceCheckWhere & { sheet?: string };

/** What a line's class says to a user, in the page, its CSV and the workbook. */
export const PRICE_CHECK_CLASS_LABELS: Record<PriceCheckClass, string> = {
  at_chosen_price: "按中选价",
  above_chosen_price: "高于中选价",
  alternative_available: "非中选，有中选替代",
  no_equivalent: "无对应中选产品",
};

export const MATCH_RULES = ["nhsaCode", "approvalNo", "nameSpecManufacturer"] as const;
export type MatchRule = (typeof MATCH_RULES)[number];

/** The product fields a line is matched and priced by, as the schema types them. */
type CandidateProduct = Pick<ProductRow, "genericName" | "dosageForm" | "spec" | "manufacturer" | "nhsaCode" | "approvalNo" | "nameNorm" | "packageQty">;

/** A chosen price a line may match. */
type Candidate = CandidateProduct & {
  priceId: number;
  batchId: string;
  batchName: string;
  productId: number;
  chosenPriceE4: number;
  /** Newest first within one product: the chosen price in force is the latest batch's. */
  recency: string;
};

/** D1 binds at most 100 parameters per statement. */
const IN_CHUNK = 90;

const key = compactText;

/**
 * The most lines one check takes. A hospital's list is hundreds to a few tens of thousands of lines
 * (a year of one tertiary hospital's items by month); the answer costs ~750 bytes a line and the
 * matching ~65 µs (60,000 lines: 3.9 s, a 45 MB answer). A CSV under the default 5 MB limit stays
 * near this; a workbook, compressed, could hold ten times more, so both stop here.
 */
export const MAX_PURCHASE_LINES = 50_000;

const tooManyLines = () =>
  new AppError(
    422,
    "too_many_lines",
    `the list has more than ${MAX_PURCHASE_LINES.toLocaleString("en")} lines; check it in parts (a month or a department at a time)`,
  );

type PurchaseTable = { table: CsvTable | null; issues: RowIssue[]; format: "csv" | "xlsx"; encoding: string | null; sheet: string | null };

/**
 * The list as a table, whichever way the hospital keeps it: a CSV (UTF-8 or GB18030), or an .xlsx
 * workbook as its system exports it (the first sheet with the list's columns, title rows above the
 * header), read as imports read workbooks. Where the runtime has no workbook reader (Cloudflare
 * Workers) an .xlsx answers 415, and a legacy .xls 422 saying how to convert it.
 */
async function readPurchaseTable(bytes: Uint8Array, readWorkbook: WorkbookOpener | undefined, sheet: string | undefined): Promise<PurchaseTable> {
  try {
    const format = sniffFormat(bytes.subarray(0, 4));
    if (format === "xls") throw new AppError(422, "unreadable_file", LEGACY_XLS_MESSAGE);
    if (format === "csv") {
      const { text, encoding } = decodeCsvBytes(bytes);
      return { ...readCsv(text, PURCHASE_LIST_FIELDS), format, encoding, sheet: null };
    }
    if (!readWorkbook)
      throw new AppError(
        415,
        "xlsx_unsupported",
        "the purchase list is an Excel workbook (.xlsx), which this server cannot read (on Cloudflare Workers a workbook reader does not fit the request limits); save the sheet as CSV UTF-8 and upload that",
      );
    const book = await readWorkbook(bytesSource(bytes), PURCHASE_LIST_FIELDS, { sheet });
    const records: CsvTable["records"] = [];
    for await (const chunk of book.records)
      for (const { row, cells } of chunk) {
        // Stopped while reading: a workbook of a million lines is never held whole.
        if (records.length === MAX_PURCHASE_LINES) throw tooManyLines();
        records.push({ row, cells });
      }
    const table = book.header ? { headerRow: book.header.row, headers: book.header.headers, match: book.header.match, records } : null;
    return { table, issues: book.issues, format, encoding: null, sheet: book.sheet };
  } catch (e) {
    if (e instanceof DecodeError) throw new AppError(422, "unreadable_file", e.message);
    throw e;
  }
}

/** A list read, found free of mistakes and matched against the chosen prices it may name: ready to check line by line. */
type PreparedCheck = {
  lines: PurchaseLine[];
  catalogue: Catalogue;
  read: { format: "csv" | "xlsx"; encoding: string | null; sheet: string | null; warnings: string[] };
};

type CheckOptions = { readWorkbook?: WorkbookOpener; sheet?: string };

async function prepareCheck(db: Db, bytes: Uint8Array, where: PriceCheckWhere, { readWorkbook, sheet }: CheckOptions): Promise<PreparedCheck> {
  // Parsed first: a bad province or date is the caller's mistake whatever the file holds.
  const filters = renderFilter(await parsePriceFilter(db, where));
  const { table, issues, encoding, format, sheet: sheetRead } = await readPurchaseTable(bytes, readWorkbook, sheet);
  if (!table) throw new AppError(422, "invalid_file", issues[0]?.message ?? "the file could not be read", { errors: issues });
  if (table.records.length > MAX_PURCHASE_LINES) throw tooManyLines();
  const errors: RowIssue[] = [...issues];
  const { match, headers, headerRow } = table;
  for (const m of match.missing) {
    const def = PURCHASE_LIST_FIELDS.find((f) => f.field === m);
    errors.push({ row: headerRow, column: m, message: `required column is missing (accepted headers: ${[m, ...(def?.aliases ?? [])].join(", ")})` });
  }
  if (!table.records.length) errors.push({ row: headerRow, column: null, message: "the file has a header but no lines" });
  const warnings = match.unknown.length ? [`columns ignored: ${match.unknown.join(", ")}`] : [];
  // As imports say it: which sheet of a workbook was read.
  if (sheetRead !== null) warnings.unshift(`read sheet "${sheetRead}" (header in row ${headerRow})`);
  const headerOf = new Map<string, string>();
  for (const [index, field] of match.columns) headerOf.set(field, headers[index] ?? field);
  const lines: PurchaseLine[] = [];
  if (!errors.length) {
    for (const { row, cells } of table.records) {
      const byField = new Map<string, string>();
      for (const [index, field] of match.columns) byField.set(field, cells[index] ?? "");
      const reader = new RowReader(row, byField, headerOf);
      const line = readPurchaseLine(reader);
      errors.push(...reader.issues);
      if (line) lines.push(line);
    }
  }
  if (errors.length) {
    throw new AppError(
      422,
      "invalid_purchase_list",
      `${errors.length} problem(s) in the file; the first: row ${errors[0]!.row}${errors[0]!.column ? ` ${errors[0]!.column}` : ""}: ${errors[0]!.message}`,
      {
        errors: errors.slice(0, 1000),
      },
    );
  }
  return { lines, catalogue: await loadCandidates(db, lines, filters), read: { format, encoding, sheet: sheetRead, warnings } };
}

/** The list's totals, added up one checked line at a time (exact fractions, rounded once at the end). */
class CheckTotals {
  private readonly byClass: Record<PriceCheckClass, number> = { at_chosen_price: 0, above_chosen_price: 0, alternative_available: 0, no_equivalent: 0 };
  private readonly byRule: Record<MatchRule, number> = { nhsaCode: 0, approvalNo: 0, nameSpecManufacturer: 0 };
  private paid = ZERO_FRACTION;
  private overpay = ZERO_FRACTION;
  private switching = ZERO_FRACTION;
  private lines = 0;

  /** Counts the line in and answers its view. */
  add(r: CheckedLine): CheckedLine["view"] {
    this.lines++;
    this.byClass[r.view.class]++;
    if (r.view.matchedBy) this.byRule[r.view.matchedBy]++;
    this.paid = addFractions(this.paid, r.exact.paid);
    this.overpay = addFractions(this.overpay, r.exact.overpay);
    this.switching = addFractions(this.switching, r.exact.switching);
    return r.view;
  }

  meta(read: PreparedCheck["read"]) {
    return {
      total: this.lines,
      nextCursor: null,
      ...read,
      totals: {
        byClass: { ...this.byClass },
        byRule: { ...this.byRule },
        amountPaid: fractionE4ToYuan(this.paid, 2),
        overpayTotal: fractionE4ToYuan(this.overpay, 2),
        savingIfSwitchedTotal: fractionE4ToYuan(this.switching, 2),
      },
    };
  }
}

/**
 * Checks a hospital's purchase list against chosen prices: each line is matched (医保编码, then
 * 批准文号, then name + spec + firm as purchase-match.ts reads them), classed, and priced per smallest unit by src/domain.
 */
export async function checkPurchaseList(db: Db, bytes: Uint8Array, where: PriceCheckWhere = {}, options: CheckOptions = {}) {
  const { lines, catalogue, read } = await prepareCheck(db, bytes, where, options);
  const totals = new CheckTotals();
  const data = lines.map((line) => totals.add(checkLine(line, catalogue)));
  return { data, meta: totals.meta(read) };
}

/**
 * The list's totals and its first `shown` lines problems first (problemsFirst's order), as the 比价
 * page shows them: a class's lines come in row order, so no more than `shown` of each are kept, and a
 * list of 50,000 lines never exists as 50,000 answered lines.
 */
export async function checkPurchaseListFirst(db: Db, bytes: Uint8Array, shown: number, where: PriceCheckWhere = {}, options: CheckOptions = {}) {
  const { lines, catalogue, read } = await prepareCheck(db, bytes, where, options);
  const totals = new CheckTotals();
  const byClass = new Map<PriceCheckClass, PriceCheckLine[]>();
  for (const line of lines) {
    const view = totals.add(checkLine(line, catalogue));
    const kept = byClass.get(view.class) ?? byClass.set(view.class, []).get(view.class)!;
    if (kept.length < shown) kept.push(view);
  }
  const data = [...byClass.keys()]
    .sort((a, b) => CLASS_ORDER[a] - CLASS_ORDER[b])
    .flatMap((cls) => byClass.get(cls)!)
    .slice(0, shown);
  return { data, meta: totals.meta(read) };
}

/** Characters of JSON per part of checkPurchaseListJson's answer (~0.3 MB of UTF-8 for Chinese text, ~400 lines). */
const JSON_PART_CHARS = 128 * 1024;

const utf8 = new TextEncoder();

/**
 * checkPurchaseList's answer as JSON, byte for byte, encoded in parts as its lines are checked: a list
 * of 50,000 lines never exists as 50,000 answered lines nor as one string of 30 MB (which held a
 * read thread 300 MB above its idle size). The parts are sent as they are (src/routes/json-bytes.ts).
 */
export async function checkPurchaseListJson(
  db: Db,
  bytes: Uint8Array,
  where: PriceCheckWhere = {},
  options: CheckOptions = {},
): Promise<JsonParts<PriceCheck>> {
  const { lines, catalogue, read } = await prepareCheck(db, bytes, where, options);
  const totals = new CheckTotals();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let text = '{"data":[';
  lines.forEach((line, i) => {
    text += (i ? "," : "") + JSON.stringify(totals.add(checkLine(line, catalogue)));
    if (text.length >= JSON_PART_CHARS) {
      parts.push(utf8.encode(text) as Uint8Array<ArrayBuffer>);
      text = "";
    }
  });
  parts.push(utf8.encode(`${text}],"meta":${JSON.stringify(totals.meta(read))}}`) as Uint8Array<ArrayBuffer>);
  // as: these parts are, joined, JSON.stringify of what checkPurchaseList answers.
  return parts as JsonParts<PriceCheck>;
}

export type PriceCheck = Awaited<ReturnType<typeof checkPurchaseList>>;
export type PriceCheckLine = PriceCheck["data"][number];

/** Problem lines first: above the chosen price, then a chosen alternative exists, then no match; fine lines last. */
const CLASS_ORDER: Record<PriceCheckClass, number> = { above_chosen_price: 0, alternative_available: 1, no_equivalent: 2, at_chosen_price: 3 };
export const problemsFirst = (lines: readonly PriceCheckLine[]) => [...lines].sort((a, b) => CLASS_ORDER[a.class] - CLASS_ORDER[b.class] || a.row - b.row);

/** A candidate with what every line compares it by, worked out once per file rather than once per line. */
type Indexed = Candidate & { firmKey: string };

type Catalogue = { byCode: Map<string, Indexed[]>; byApproval: Map<string, Indexed[]>; byNameStrength: Map<string, Indexed[]> };

/** One key per generic name and normalised strength (10 mg = 10mg = 0.01g), the pair every name match needs. */
const nameStrength = (nameNorm: string, spec: string | null | undefined) => `${nameNorm}\u0000${normalizeStrength(spec) ?? ""}`;

/** The aliases the search filters (price-filter-sql.ts) are written over: ps, p, pr, b. */
const p = renderedAlias(prices, "p");
const pr = renderedAlias(products, "pr");
const b = renderedAlias(batches, "b");
const ps = renderedAlias(priceSearch, "ps");

async function loadCandidates(db: Db, lines: PurchaseLine[], filters: FilterSql): Promise<Catalogue> {
  const codes = new Set<string>();
  const approvals = new Set<string>();
  const names = new Set<string>();
  for (const l of lines) {
    if (l.nhsaCode) codes.add(l.nhsaCode.normalize("NFKC").trim()).add(l.nhsaCode.normalize("NFKC").trim().toUpperCase());
    if (l.approvalNo) approvals.add(l.approvalNo.normalize("NFKC").trim());
    if (l.genericName) for (const n of publishedNames(l.genericName)) names.add(n.name);
  }
  const rows: Candidate[] = [];
  for (const [column, values] of [
    [pr.nhsaCode, codes],
    [pr.approvalNo, approvals],
    [pr.nameNorm, names],
  ] as const) {
    const list = [...values];
    for (let i = 0; i < list.length; i += IN_CHUNK) {
      const chunk = list.slice(i, i + IN_CHUNK);
      rows.push(
        ...(await readRows<Candidate>(
          db,
          sql`SELECT ${p.id} AS priceId, ${b.id} AS batchId, ${b.name} AS batchName, ${pr.id} AS productId,
            ${pr.genericName} AS genericName, ${pr.dosageForm} AS dosageForm, ${pr.spec} AS spec, ${pr.manufacturer} AS manufacturer,
            ${pr.nhsaCode} AS nhsaCode, ${pr.approvalNo} AS approvalNo, ${pr.nameNorm} AS nameNorm, ${pr.packageQty} AS packageQty,
            ${p.chosenPriceE4} AS chosenPriceE4, COALESCE(${p.cycleStart}, ${b.cycleStart}, ${b.announced}, '') AS recency
          FROM ${products} ${pr} JOIN ${prices} ${p} ON ${p.productId} = ${pr.id} JOIN ${batches} ${b} ON ${b.id} = ${p.batchId}
            JOIN ${priceSearch} ${ps} ON ${ps.priceId} = ${p.id}
          WHERE ${column} IN (${sql.join(
            chunk.map((v) => sql`${v}`),
            sql`, `,
          )}) AND ${allOf(filters.allRows)}`,
        )),
      );
    }
  }
  const unique: Indexed[] = [...new Map(rows.map((r) => [r.priceId, r])).values()].map((c) => ({
    ...c,
    firmKey: key(c.manufacturer),
  }));
  unique.sort(newestFirst);
  const index = (pick: (c: Indexed) => string | null) => {
    const m = new Map<string, Indexed[]>();
    for (const c of unique) {
      const k = pick(c);
      if (!k) continue;
      const list = m.get(k);
      if (list) list.push(c);
      else m.set(k, [c]);
    }
    return m;
  };
  return {
    byCode: index((c) => (c.nhsaCode ? c.nhsaCode.normalize("NFKC").trim().toUpperCase() : null)),
    byApproval: index((c) => (c.approvalNo ? key(c.approvalNo) : null)),
    byNameStrength: index((c) => nameStrength(c.nameNorm, c.spec)),
  };
}

/** Newest chosen price first, so the first candidate of a product is the one in force. */
const newestFirst = (a: Candidate, b: Candidate) => (a.recency === b.recency ? b.priceId - a.priceId : a.recency < b.recency ? 1 : -1);

/**
 * The chosen prices of a line's generic name and strength, under the name as written or as a table
 * publishes it (阿托伐他汀钙片 → 阿托伐他汀 of a tablet form: publishedNames), newest first.
 */
function byName(line: PurchaseLine, cat: Catalogue): Indexed[] {
  if (!line.genericName || !line.spec) return [];
  const found = new Map<number, Indexed>();
  for (const { name, fits } of publishedNames(line.genericName)) {
    for (const c of cat.byNameStrength.get(nameStrength(name, line.spec)) ?? []) if (formFits(fits, c.dosageForm)) found.set(c.priceId, c);
  }
  return [...found.values()].sort(newestFirst);
}

function findChosen(line: PurchaseLine, cat: Catalogue): { rule: MatchRule; candidate: Indexed } | null {
  const code = line.nhsaCode?.normalize("NFKC").trim().toUpperCase();
  const byCode = code ? cat.byCode.get(code)?.[0] : undefined;
  if (byCode) return { rule: "nhsaCode", candidate: byCode };
  const byApproval = line.approvalNo ? cat.byApproval.get(key(line.approvalNo))?.[0] : undefined;
  if (byApproval) return { rule: "approvalNo", candidate: byApproval };
  if (line.manufacturer) {
    const named = byName(line, cat);
    // The firm by its own name first; else a table's short name for it, when it names one firm only.
    const scored = named.map((c) => ({ c, match: firmMatch(line.manufacturer, c.manufacturer) }));
    const same = scored.find((s) => s.match === 2)?.c;
    const short = scored.filter((s) => s.match === 1).map((s) => s.c);
    const candidate = same ?? (new Set(short.map((c) => c.firmKey)).size === 1 ? short[0] : undefined);
    if (candidate) return { rule: "nameSpecManufacturer", candidate };
  }
  return null;
}

/** Chosen products of the same generic name, strength (and form, when the line gives one), cheapest per unit first. */
function findAlternatives(line: PurchaseLine, cat: Catalogue): Indexed[] {
  const found = byName(line, cat).filter((c) => formsAgree(line.dosageForm, c.dosageForm));
  return found.sort(
    (a, b) => compareFractions(unitPrice(BigInt(a.chosenPriceE4), a.packageQty), unitPrice(BigInt(b.chosenPriceE4), b.packageQty)) || a.priceId - b.priceId,
  );
}

function candidateView(c: Candidate) {
  const chosen = BigInt(c.chosenPriceE4);
  return {
    priceId: c.priceId,
    batch: { id: c.batchId, name: c.batchName },
    product: {
      id: c.productId,
      genericName: c.genericName,
      dosageForm: c.dosageForm,
      spec: c.spec,
      manufacturer: c.manufacturer,
      packageQty: c.packageQty,
      nhsaCode: c.nhsaCode,
      approvalNo: c.approvalNo,
    },
    chosenPrice: e4ToYuan(chosen, 4),
    unitPrice: fractionE4ToYuan(unitPrice(chosen, c.packageQty), 4),
  };
}

type CheckedLine = ReturnType<typeof checkLine>;

function checkLine(line: PurchaseLine, cat: Catalogue) {
  const packages = BigInt(line.quantity);
  const paid: Fraction = { num: line.price * packages, den: 1n };
  const input = {
    genericName: line.genericName,
    spec: line.spec,
    manufacturer: line.manufacturer,
    nhsaCode: line.nhsaCode,
    approvalNo: line.approvalNo,
    price: e4ToYuan(line.price, 4),
    quantity: line.quantity,
    packageQty: line.packageQty,
  };
  const base = { row: line.row, input, amountPaid: fractionE4ToYuan(paid, 2) };
  const chosen = findChosen(line, cat);
  if (chosen) {
    const c = chosen.candidate;
    // The same product: a line that does not say its package size has the chosen product's.
    const linePq = line.packageQty ?? c.packageQty;
    const cmp = compareLine({ paidPrice: line.price, linePackageQty: linePq, packages, chosenPrice: BigInt(c.chosenPriceE4), chosenPackageQty: c.packageQty });
    const cls: PriceCheckClass = cmp.above ? "above_chosen_price" : "at_chosen_price";
    return {
      view: {
        ...base,
        class: cls,
        matchedBy: chosen.rule as MatchRule | null,
        chosen: candidateView(c),
        alternative: null,
        units: Number(cmp.units),
        paidUnitPrice: fractionE4ToYuan(cmp.paidUnitPrice, 4),
        overpayPerUnit: cmp.above ? fractionE4ToYuan(cmp.differencePerUnit, 4) : 0,
        overpayTotal: cmp.above ? fractionE4ToYuan(cmp.total, 2) : 0,
        savingIfSwitched: null as number | null,
        packageAssumed: line.packageQty === null,
      },
      exact: { paid, overpay: cmp.above ? cmp.total : ZERO_FRACTION, switching: ZERO_FRACTION },
    };
  }
  const alternative = findAlternatives(line, cat)[0];
  if (alternative) {
    const linePq = line.packageQty ?? alternative.packageQty;
    const cmp = compareLine({
      paidPrice: line.price,
      linePackageQty: linePq,
      packages,
      chosenPrice: BigInt(alternative.chosenPriceE4),
      chosenPackageQty: alternative.packageQty,
    });
    return {
      view: {
        ...base,
        class: "alternative_available" as PriceCheckClass,
        matchedBy: null,
        chosen: null,
        alternative: candidateView(alternative),
        units: Number(cmp.units),
        paidUnitPrice: fractionE4ToYuan(cmp.paidUnitPrice, 4),
        overpayPerUnit: null as number | null,
        overpayTotal: null as number | null,
        savingIfSwitched: fractionE4ToYuan(cmp.total, 2) as number | null,
        packageAssumed: line.packageQty === null,
      },
      exact: { paid, overpay: ZERO_FRACTION, switching: cmp.total },
    };
  }
  return {
    view: {
      ...base,
      class: "no_equivalent" as PriceCheckClass,
      matchedBy: null,
      chosen: null,
      alternative: null,
      units: line.packageQty === null ? null : Number(packages * BigInt(line.packageQty)),
      paidUnitPrice: line.packageQty === null ? null : fractionE4ToYuan(unitPrice(line.price, line.packageQty), 4),
      overpayPerUnit: null,
      overpayTotal: null,
      savingIfSwitched: null,
      packageAssumed: false,
    },
    exact: { paid, overpay: ZERO_FRACTION, switching: ZERO_FRACTION },
  };
}
