import { compactText, normalizeText } from "./names";
import { FORM_WORDS, queryStems } from "./search-stem";

/*
 * How a hospital's purchase line names a product, against how a published table does. A hospital
 * writes the name on the box (阿托伐他汀钙片), its own form word (片剂) and the firm's full name
 * (北京嘉林药业股份有限公司); the national tables publish 阿托伐他汀, 口服常释剂型 and, for the
 * 4+7 pilot, the firm's short name (北京嘉林). These rules let a line find its chosen price anyway.
 */

/** A name a line may be published under; `fits`: the dosage forms its products must then have (null: any). */
export type PublishedName = { name: string; fits: readonly string[] | null };

/**
 * The names a line's generic name may be published under, normalized as products' name_norm: the
 * name as written, then without its trailing form word and salt (search-stem.ts: 阿托伐他汀钙片 →
 * 阿托伐他汀钙 and 阿托伐他汀, tablets only).
 */
export function publishedNames(genericName: string): PublishedName[] {
  const name = normalizeText(genericName);
  if (!name) return [];
  return [{ name, fits: null }, ...queryStems(name).map((s) => ({ name: s.stem, fits: s.fits }))];
}

/** True when a product's dosage form is one a name's form word allows (or it states none). */
export function formFits(fits: readonly string[] | null, dosageForm: string | null | undefined): boolean {
  return !fits || !dosageForm || fits.some((f) => dosageForm.includes(f));
}

/**
 * True when a line's dosage form and a product's are the same form: the same words, or the line's
 * form word (片剂, 胶囊 …) fits the product's published class (口服常释剂型); unknown on either side agrees.
 */
export function formsAgree(lineForm: string | null | undefined, productForm: string | null | undefined): boolean {
  const line = compactText(lineForm);
  const product = compactText(productForm);
  if (!line || !product || line === product) return true;
  const word = FORM_WORDS.find((w) => w.han === line);
  return word ? formFits(word.fits, product) : false;
}

/** A short name shorter than this is no firm's own (制药, 药业): a full name is not matched to it by its start. */
const MIN_SHORT_FIRM = 4;

/**
 * How surely a line's firm is a product's: 2 the same name, 1 one name the start of the other (a
 * table's short name 北京嘉林 for 北京嘉林药业股份有限公司), 0 not the same firm.
 */
export function firmMatch(lineFirm: string | null | undefined, productFirm: string | null | undefined): 0 | 1 | 2 {
  const a = compactText(lineFirm);
  const b = compactText(productFirm);
  if (!a || !b) return 0;
  if (a === b) return 2;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return [...short].length >= MIN_SHORT_FIRM && long.startsWith(short) ? 1 : 0;
}
