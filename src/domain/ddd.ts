import { normalizeStrength } from "./strength.js";

/** A WHO defined daily dose (DDD) for the oral route, in mg of the substance. */
export type OralDdd = { inn: string; atc: string; mg: number };

/**
 * Oral DDDs of generics the seeds carry, as the WHO Collaborating Centre for Drug Statistics
 * Methodology publishes them in the ATC/DDD Index (route O). Source: WHOCC, "DDD alterations from
 * 2005-2018" (www.whocc.no/atc_ddd_alterations__cumulative/ddd_alterations/), the current value
 * of each substance listed there. Keyed by the Chinese generic name's stem.
 */
export const ORAL_DDDS: Readonly<Record<string, OralDdd>> = {
  阿托伐他汀: { inn: "atorvastatin", atc: "C10AA05", mg: 20 },
  辛伐他汀: { inn: "simvastatin", atc: "C10AA01", mg: 30 },
  普伐他汀: { inn: "pravastatin", atc: "C10AA03", mg: 30 },
  氟伐他汀: { inn: "fluvastatin", atc: "C10AA04", mg: 60 },
  洛伐他汀: { inn: "lovastatin", atc: "C10AA02", mg: 45 },
  埃索美拉唑: { inn: "esomeprazole", atc: "A02BC05", mg: 30 },
  左乙拉西坦: { inn: "levetiracetam", atc: "N03AX14", mg: 1500 },
  阿哌沙班: { inn: "apixaban", atc: "B01AF02", mg: 10 },
  利伐沙班: { inn: "rivaroxaban", atc: "B01AF01", mg: 20 },
  格列齐德: { inn: "gliclazide", atc: "A10BB09", mg: 60 },
};

// The stem, then only what names a salt, an alias in brackets, a release form and a tablet or
// capsule: 阿托伐他汀钙片 and 埃索美拉唑（艾司奥美拉唑）are the substance; 氨氯地平阿托伐他汀钙片 is not.
const TAIL = /^(?:[（(][^）)]*[）)])?(?:钙|钠|钾|镁|锌)?(?:肠溶|缓释|控释|分散|口崩|咀嚼)?(?:片|胶囊|干混悬剂)?$/;
const ORAL_FORM = /口服|片|胶囊|干混悬/;
const NOT_ORAL = /注射|滴眼|吸入|外用|栓/;

/**
 * Smallest units a day that make one DDD of a single-substance oral product: DDD ÷ strength
 * (阿托伐他汀钙片 10mg: 20 ÷ 10 = 2 tablets). Null when the product has no listed DDD, is not
 * oral, or its strength is not one amount in mg.
 */
export function dddUnitsPerDay(p: {
  genericName: string;
  dosageForm: string | null;
  spec: string | null;
}): (OralDdd & { name: string; unitsPerDay: number }) | null {
  const name = p.genericName.normalize("NFKC").replace(/\s+/g, "");
  const stem = Object.keys(ORAL_DDDS).find((s) => name.startsWith(s) && TAIL.test(name.slice(s.length)));
  if (!stem) return null;
  const form = `${p.dosageForm ?? ""}${name}`;
  if (!ORAL_FORM.test(form) || NOT_ORAL.test(form)) return null;
  const strength = /^(\d+(?:\.\d+)?)mg$/.exec(normalizeStrength(p.spec) ?? "");
  if (!strength) return null;
  const mg = Number(strength[1]);
  if (!(mg > 0)) return null;
  const ddd = ORAL_DDDS[stem]!;
  // Two decimals at most: a DDD of 30 mg in 20 mg tablets is 1.5 a day.
  return { ...ddd, name: stem, unitsPerDay: Math.round((ddd.mg / mg) * 100) / 100 };
}
