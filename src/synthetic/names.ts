/**
 * Real names (no prices) for realistic synthetic data and search tests.
 * NATIONAL_BATCH1_NAMES: the 25 generic names of the first national batch (4+7), the same list as
 * test/fixtures/facts/national-batch1-names.csv (sourced there; a test keeps the two equal).
 */

export interface GenericName {
  genericName: string;
  genericNameEn: string;
}

export const NATIONAL_BATCH1_NAMES: readonly GenericName[] = [
  { genericName: "阿托伐他汀钙片", genericNameEn: "atorvastatin calcium" },
  { genericName: "瑞舒伐他汀钙片", genericNameEn: "rosuvastatin calcium" },
  { genericName: "硫酸氢氯吡格雷片", genericNameEn: "clopidogrel bisulfate" },
  { genericName: "厄贝沙坦片", genericNameEn: "irbesartan" },
  { genericName: "苯磺酸氨氯地平片", genericNameEn: "amlodipine besylate" },
  { genericName: "恩替卡韦分散片", genericNameEn: "entecavir" },
  { genericName: "草酸艾司西酞普兰片", genericNameEn: "escitalopram oxalate" },
  { genericName: "盐酸帕罗西汀片", genericNameEn: "paroxetine hydrochloride" },
  { genericName: "奥氮平片", genericNameEn: "olanzapine" },
  { genericName: "头孢呋辛酯片", genericNameEn: "cefuroxime axetil" },
  { genericName: "利培酮片", genericNameEn: "risperidone" },
  { genericName: "吉非替尼片", genericNameEn: "gefitinib" },
  { genericName: "福辛普利钠片", genericNameEn: "fosinopril sodium" },
  { genericName: "厄贝沙坦氢氯噻嗪片", genericNameEn: "irbesartan and hydrochlorothiazide" },
  { genericName: "赖诺普利片", genericNameEn: "lisinopril" },
  { genericName: "富马酸替诺福韦二吡呋酯片", genericNameEn: "tenofovir disoproxil fumarate" },
  { genericName: "氯沙坦钾片", genericNameEn: "losartan potassium" },
  { genericName: "马来酸依那普利片", genericNameEn: "enalapril maleate" },
  { genericName: "左乙拉西坦片", genericNameEn: "levetiracetam" },
  { genericName: "甲磺酸伊马替尼片", genericNameEn: "imatinib mesylate" },
  { genericName: "孟鲁司特钠片", genericNameEn: "montelukast sodium" },
  { genericName: "蒙脱石散", genericNameEn: "montmorillonite" },
  { genericName: "注射用培美曲塞二钠", genericNameEn: "pemetrexed disodium" },
  { genericName: "盐酸右美托咪定注射液", genericNameEn: "dexmedetomidine hydrochloride" },
  { genericName: "氟比洛芬酯注射液", genericNameEn: "flurbiprofen axetil" },
];

/**
 * Dosage form implied by a Chinese generic name, as the synthetic data labels it.
 * Empty string when the name does not say (devices, unknown forms).
 */
export function dosageFormOf(genericName: string): string {
  if (genericName.startsWith("注射用") || genericName.includes("注射")) return "注射剂";
  if (genericName.endsWith("胶囊")) return "胶囊";
  if (genericName.endsWith("颗粒")) return "颗粒剂";
  if (genericName.endsWith("散")) return "散剂";
  if (genericName.endsWith("片")) return "片剂";
  return "";
}

/** What the generator needs to invent plausible packages for one name. Price ranges are invented. */
export interface ProductTemplate extends GenericName {
  category: "drug" | "device";
  dosageForm: string;
  specs: readonly string[];
  /** smallest units per package to choose from */
  packageQtys: readonly number[];
  packageUnits: readonly string[];
  smallestUnit: string;
  /** synthetic chosen price per smallest unit, CNY: [low, high) drawn log-uniformly */
  unitPriceRange: readonly [number, number];
}

const TABLET_QTYS = [7, 10, 14, 28, 30, 36, 48] as const;

/** Strengths (real ones for these molecules) and synthetic per-unit price ranges per name. */
const DRUG_DETAILS: Readonly<Record<string, { specs: readonly string[]; unit: readonly [number, number] }>> = {
  阿托伐他汀钙片: { specs: ["10mg", "20mg", "40mg"], unit: [0.05, 1.5] },
  瑞舒伐他汀钙片: { specs: ["5mg", "10mg", "20mg"], unit: [0.05, 1.2] },
  硫酸氢氯吡格雷片: { specs: ["25mg", "75mg"], unit: [0.1, 3] },
  厄贝沙坦片: { specs: ["75mg", "150mg", "300mg"], unit: [0.05, 0.8] },
  苯磺酸氨氯地平片: { specs: ["2.5mg", "5mg", "10mg"], unit: [0.02, 0.5] },
  恩替卡韦分散片: { specs: ["0.5mg", "1mg"], unit: [0.05, 1] },
  草酸艾司西酞普兰片: { specs: ["5mg", "10mg", "20mg"], unit: [0.3, 3] },
  盐酸帕罗西汀片: { specs: ["20mg"], unit: [0.3, 2.5] },
  奥氮平片: { specs: ["5mg", "10mg"], unit: [0.5, 5] },
  头孢呋辛酯片: { specs: ["0.125g", "0.25g", "0.5g"], unit: [0.1, 1.5] },
  利培酮片: { specs: ["1mg", "2mg"], unit: [0.05, 1] },
  吉非替尼片: { specs: ["0.25g"], unit: [5, 50] },
  福辛普利钠片: { specs: ["10mg", "20mg"], unit: [0.3, 2] },
  厄贝沙坦氢氯噻嗪片: { specs: ["150mg:12.5mg", "300mg:12.5mg"], unit: [0.1, 1.5] },
  赖诺普利片: { specs: ["5mg", "10mg", "20mg"], unit: [0.05, 0.8] },
  富马酸替诺福韦二吡呋酯片: { specs: ["300mg"], unit: [0.2, 2] },
  氯沙坦钾片: { specs: ["50mg", "100mg"], unit: [0.1, 1.5] },
  马来酸依那普利片: { specs: ["5mg", "10mg"], unit: [0.02, 0.5] },
  左乙拉西坦片: { specs: ["0.25g", "0.5g", "1.0g"], unit: [0.3, 3] },
  甲磺酸伊马替尼片: { specs: ["0.1g", "0.4g"], unit: [2, 30] },
  孟鲁司特钠片: { specs: ["4mg", "5mg", "10mg"], unit: [0.2, 3] },
  蒙脱石散: { specs: ["3g"], unit: [0.1, 1] },
  注射用培美曲塞二钠: { specs: ["0.1g", "0.2g", "0.5g"], unit: [30, 450] },
  盐酸右美托咪定注射液: { specs: ["1ml:0.1mg", "2ml:0.2mg"], unit: [15, 120] },
  氟比洛芬酯注射液: { specs: ["5ml:50mg"], unit: [4, 30] },
};

function drugTemplate(name: GenericName): ProductTemplate {
  const details = DRUG_DETAILS[name.genericName];
  if (!details) throw new Error(`no synthetic details for ${name.genericName}`);
  const dosageForm = dosageFormOf(name.genericName);
  const base = { ...name, category: "drug" as const, dosageForm, specs: details.specs, unitPriceRange: details.unit };
  switch (dosageForm) {
    case "注射剂":
      return name.genericName.startsWith("注射用")
        ? { ...base, packageQtys: [1], packageUnits: ["盒", "瓶"], smallestUnit: "支" }
        : { ...base, packageQtys: [1, 2, 5, 10], packageUnits: ["盒"], smallestUnit: "支" };
    case "散剂":
      return { ...base, packageQtys: [6, 10, 12, 15], packageUnits: ["盒"], smallestUnit: "袋" };
    case "胶囊":
      return { ...base, packageQtys: TABLET_QTYS, packageUnits: ["盒", "瓶"], smallestUnit: "粒" };
    default:
      return { ...base, packageQtys: TABLET_QTYS, packageUnits: ["盒", "盒", "瓶"], smallestUnit: "片" };
  }
}

/** Drug templates, one per name of the first national batch. */
export const DRUG_TEMPLATES: readonly ProductTemplate[] = NATIONAL_BATCH1_NAMES.map(drugTemplate);

/** A few device (耗材) product names with model specs. Names are real product types; prices are invented. */
export const DEVICE_TEMPLATES: readonly ProductTemplate[] = [
  {
    genericName: "冠状动脉球囊扩张导管",
    genericNameEn: "coronary balloon dilatation catheter",
    category: "device",
    dosageForm: "",
    specs: ["2.0×15mm", "2.5×20mm", "3.0×15mm", "3.5×20mm"],
    packageQtys: [1],
    packageUnits: ["盒"],
    smallestUnit: "支",
    unitPriceRange: [150, 500],
  },
  {
    genericName: "一次性使用静脉留置针",
    genericNameEn: "IV indwelling cannula, single use",
    category: "device",
    dosageForm: "",
    specs: ["18G", "20G", "22G", "24G"],
    packageQtys: [1, 50],
    packageUnits: ["盒"],
    smallestUnit: "支",
    unitPriceRange: [1.5, 9],
  },
  {
    genericName: "一次性使用输液器",
    genericNameEn: "infusion set, single use",
    category: "device",
    dosageForm: "",
    specs: ["0.55mm", "0.7mm", "0.8mm"],
    packageQtys: [1, 25],
    packageUnits: ["袋", "盒"],
    smallestUnit: "套",
    unitPriceRange: [0.8, 5],
  },
  {
    genericName: "一次性使用无菌注射器",
    genericNameEn: "sterile syringe, single use",
    category: "device",
    dosageForm: "",
    specs: ["1ml", "5ml", "10ml", "20ml"],
    packageQtys: [1, 100],
    packageUnits: ["盒"],
    smallestUnit: "支",
    unitPriceRange: [0.1, 0.8],
  },
  {
    genericName: "可吸收性外科缝线",
    genericNameEn: "absorbable surgical suture",
    category: "device",
    dosageForm: "",
    specs: ["2-0", "3-0", "4-0"],
    packageQtys: [1, 12],
    packageUnits: ["盒"],
    smallestUnit: "根",
    unitPriceRange: [8, 40],
  },
];

/** Every name the generator may emit, drug or device. */
export const SYNTHETIC_NAMES: ReadonlySet<string> = new Set([...DRUG_TEMPLATES, ...DEVICE_TEMPLATES].map((t) => t.genericName));
