import { SYNTHETIC_BATCH_DEFS, type SyntheticBatchDef } from "./batches.js";
import type { PriceRow, ReferenceKind } from "./columns.js";
import { SYNTHETIC_DEVICE_FIRMS, SYNTHETIC_DRUG_FIRMS } from "./firms.js";
import { DEVICE_TEMPLATES, DRUG_TEMPLATES, type ProductTemplate } from "./names.js";
import { Rng } from "./prng.js";
import { PROVINCE_NAMES } from "./provinces.js";

/** `source` of every synthetic price row. */
export const SYNTHETIC_PRICE_SOURCE = "synthetic";
/** Every synthetic nhsaCode starts with this, so no one mistakes it for a real 医保编码. */
export const SYNTHETIC_CODE_PREFIX = "SYN";

export interface SyntheticPriceOptions {
  /** rows to yield (a non-negative integer) */
  count: number;
  /** PRNG seed, an integer taken modulo 2^32; default 1 */
  seed?: number;
}

/** Money is drawn in integer units of 0.0001 yuan so the text never carries float noise. */
const MINOR_PER_YUAN = 10_000;
const MIN_PRICE = 0.05 * MINOR_PER_YUAN;
const MAX_PRICE = 500 * MINOR_PER_YUAN;

const SHARE_DEVICE = 0.1;
const SHARE_NO_REFERENCE = 0.05;
const SHARE_REFERENCE_BELOW = 0.02;
const SHARE_PRE_VBP = 0.1;
/** a product's batches: 1 to 4 of the drug batches, weighted */
const DRUG_BATCH_COUNTS = [1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4] as const;

const DRUG_BATCHES = SYNTHETIC_BATCH_DEFS.filter((b) => b.category === "drug");
const DEVICE_BATCHES = SYNTHETIC_BATCH_DEFS.filter((b) => b.category === "device");

/** Decimal text of an amount in 0.0001 yuan: 36000 → `3.6`, 500 → `0.05`, 7_000_000 → `700`. */
export function formatMinor(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`bad amount ${minor}`);
  const whole = Math.floor(minor / MINOR_PER_YUAN);
  const frac = String(minor % MINOR_PER_YUAN)
    .padStart(4, "0")
    .replace(/0+$/, "");
  return frac === "" ? String(whole) : `${whole}.${frac}`;
}

function clampPrice(minor: number): number {
  return Math.min(MAX_PRICE, Math.max(MIN_PRICE, minor));
}

/** Most published prices have 2 decimals, some 4. Above 500 yuan a price is redrawn in 250–500, not piled up at 500. */
function roundPrice(rng: Rng, yuan: number): number {
  const minor = (yuan > 500 ? 250 + 250 * rng.float() : yuan) * MINOR_PER_YUAN;
  return clampPrice(rng.chance(0.65) ? Math.round(minor / 100) * 100 : Math.round(minor));
}

interface Product {
  template: ProductTemplate;
  spec: string;
  packageQty: number;
  packageUnit: string;
  manufacturer: string;
  nhsaCode: string;
  approvalNo: string;
}

/**
 * Gives each product of one (name, spec) a different firm as long as firms last, so alternatives
 * (same name, form and strength from other firms) exist and rarely collide on natural keys.
 * Memory: one counter per (name, spec), a few dozen.
 */
class FirmPicker {
  private readonly counters = new Map<string, number>();
  private readonly offset: number;

  constructor(rng: Rng) {
    this.offset = rng.int(0, 1_000_000);
  }

  pick(firms: readonly string[], comboKey: string, comboIndex: number): string {
    const j = this.counters.get(comboKey) ?? 0;
    this.counters.set(comboKey, j + 1);
    // 7 is coprime with 300 and 180, so j → firm is a bijection within one cycle of firms.
    return firms[(this.offset + comboIndex * 37 + j * 7) % firms.length] as string;
  }
}

function makeProduct(rng: Rng, firms: FirmPicker, index: number): Product {
  const device = rng.chance(SHARE_DEVICE);
  const templates = device ? DEVICE_TEMPLATES : DRUG_TEMPLATES;
  const templateIndex = rng.int(0, templates.length - 1);
  const template = templates[templateIndex] as ProductTemplate;
  const specIndex = rng.int(0, template.specs.length - 1);
  const spec = template.specs[specIndex] as string;
  const packageQty = rng.pick(template.packageQtys);
  let packageUnit = rng.pick(template.packageUnits);
  if (packageUnit === "瓶" && packageQty < 28) packageUnit = "盒";
  const manufacturer = firms.pick(device ? SYNTHETIC_DEVICE_FIRMS : SYNTHETIC_DRUG_FIRMS, `${template.genericName}|${spec}`, templateIndex * 5 + specIndex);
  const serial = String(index + 1).padStart(10, "0");
  return {
    template,
    spec,
    packageQty,
    packageUnit,
    manufacturer,
    nhsaCode: `${SYNTHETIC_CODE_PREFIX}${device ? "C" : "D"}${serial}`,
    approvalNo: device ? `国械注准${20_993_460_000 + index}SYN` : `国药准字H${20_990_000 + index}SYN`,
  };
}

/** First-batch price of a product: a per-unit price scaled by strength, times the package. */
function firstPrice(rng: Rng, product: Product): number {
  const [lo, hi] = product.template.unitPriceRange;
  const strength = 1 + 0.5 * product.template.specs.indexOf(product.spec);
  return roundPrice(rng, rng.logUniform(lo, hi) * strength * product.packageQty);
}

function reference(rng: Rng, chosen: number): { price: string; kind: ReferenceKind | "" } {
  const r = rng.float();
  if (r < SHARE_NO_REFERENCE) return { price: "", kind: "" };
  const kind: ReferenceKind = rng.chance(SHARE_PRE_VBP) ? "pre_vbp" : "ceiling";
  if (r < SHARE_NO_REFERENCE + SHARE_REFERENCE_BELOW) {
    // chosen above its reference: a negative reduction the service must flag, not reject
    const below = Math.min(chosen - 1, Math.floor(chosen * (1 - rng.int(1, 15) / 100)));
    return { price: formatMinor(Math.max(1, below)), kind };
  }
  const discount = 0.1 + 0.85 * Math.sqrt(rng.float()); // reductions cluster at 50–90 %
  let ref = Math.ceil(chosen / (1 - discount) / 100) * 100; // reference prices in whole fen
  if (ref <= chosen) ref = chosen + 100;
  return { price: formatMinor(ref), kind };
}

function supplyRegions(rng: Rng, batch: SyntheticBatchDef): string {
  if (batch.scope.length === 0) {
    if (rng.chance(0.4)) return ""; // nationwide
    return rng
      .sampleIndexes(PROVINCE_NAMES.length, rng.int(1, 5))
      .map((i) => PROVINCE_NAMES[i])
      .join("、");
  }
  return rng
    .sampleIndexes(batch.scope.length, rng.int(1, batch.scope.length))
    .map((i) => batch.scope[i])
    .join("、");
}

/**
 * First-year agreed volume in smallest units, drawn as the year's spending at the reference price
 * (at the chosen price when there is none): 0.3–10 million yuan per drug price of a national batch,
 * in proportion to the provinces a smaller batch covers, so a demo batch of ~3,000 drug prices
 * projects savings of a few billion yuan a year, as real national batches report (9–26 bn CNY a
 * year, seeds/batches.csv), not hundreds of billions. Devices: 100–200,000 units, as before.
 */
function agreedVolume(rng: Rng, product: Product, batch: SyntheticBatchDef, basisMinor: number): string {
  if (product.template.category === "device") return String(Math.round(rng.logUniform(100, 200_000)));
  const share = batch.scope.length === 0 ? 1 : batch.scope.length / PROVINCE_NAMES.length;
  const spendYuan = rng.logUniform(300_000, 10_000_000) * share;
  const unitYuan = basisMinor / MINOR_PER_YUAN / product.packageQty;
  return String(Math.max(1, Math.round(spendYuan / unitYuan)));
}

/**
 * Deterministic synthetic chosen prices, streamed: `count` rows, the same rows for the same seed.
 * Products (one SYN nhsaCode each) recur in 1–4 batches of their category, oldest first, renewals
 * usually cheaper, so price history exists; (batch, nhsaCode) never repeats within a run. Memory
 * does not grow with `count`.
 */
export function* syntheticPrices(opts: SyntheticPriceOptions): Generator<PriceRow, void, undefined> {
  const { count, seed = 1 } = opts;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const rng = new Rng(seed);
  const firms = new FirmPicker(rng);
  let emitted = 0;
  for (let index = 0; emitted < count; index++) {
    const product = makeProduct(rng, firms, index);
    const { template } = product;
    const candidates = template.category === "device" ? DEVICE_BATCHES : DRUG_BATCHES;
    const howMany = template.category === "device" ? rng.int(1, candidates.length) : rng.pick(DRUG_BATCH_COUNTS);
    let chosen = firstPrice(rng, product);
    let first = true;
    for (const b of rng.sampleIndexes(candidates.length, howMany)) {
      if (emitted >= count) return;
      const batch = candidates[b] as SyntheticBatchDef;
      if (!first) chosen = roundPrice(rng, (chosen / MINOR_PER_YUAN) * (0.6 + 0.45 * rng.float()));
      first = false;
      const ref = reference(rng, chosen);
      // Drawn in the order they always were (regions, then volume), so the rows stay those of earlier demos.
      const regions = supplyRegions(rng, batch);
      const volume = agreedVolume(rng, product, batch, ref.price === "" ? chosen : Math.round(Number(ref.price) * MINOR_PER_YUAN));
      yield {
        batch: batch.id,
        category: template.category,
        genericName: template.genericName,
        genericNameEn: template.genericNameEn,
        dosageForm: template.dosageForm,
        spec: product.spec,
        packageText: `${product.packageQty}${template.smallestUnit}/${product.packageUnit}`,
        packageQty: String(product.packageQty),
        packageUnit: product.packageUnit,
        smallestUnit: template.smallestUnit,
        manufacturer: product.manufacturer,
        nhsaCode: product.nhsaCode,
        approvalNo: product.approvalNo,
        chosenPrice: formatMinor(chosen),
        referencePrice: ref.price,
        referenceKind: ref.kind,
        supplyRegions: regions,
        agreedVolume: volume,
        cycleStart: "",
        cycleEnd: "",
        source: SYNTHETIC_PRICE_SOURCE,
        synthetic: "true",
      };
      emitted++;
    }
  }
}
