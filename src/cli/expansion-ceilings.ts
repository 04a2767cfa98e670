import { type E4, formatYuan, parseYuan, unitPriceE4Rounded } from "../domain";
import { strengthAmounts } from "../domain/strength";
import type { CsvRecord } from "../import/csv-records";
import { splitFusedForm } from "../import/fused-name";
import type { OpenedWorkbook } from "../import/xlsx/read-workbook";

/** A chosen box of the 4+7 pilot (national-drug-1) as stored: its price is per box of packageQty units. */
export type PilotBox = { listedAs: string; spec: string; packageQty: number; chosenPriceE4: E4 };

/** What became of one row's 最高限价: the per-unit ceiling written, or null when none can be stated. */
export type CeilingFix = { row: number; genericName: string; spec: string; given: string; perUnit: string | null; reason: string };

const CEILING = "最高限价";
const NAME = "药品通用名";
const SPEC = "规格包装";

/**
 * The expansion sheet (第一轮集采联盟地区) gives as 最高限价 the 4+7 pilot's chosen price per 4+7 box
 * (阿托伐他汀 6.6 is 20mg*7, 帕罗西汀 33.4 is 20mg*20, 吉非替尼 547 is 250mg*10: each equals 每盒价格
 * of the 4+7 sheet), where every other sheet and every bid of this one is per smallest unit. Read as
 * it stands, it made the expansion's reductions against the ceiling 95 % for 帕罗西汀 instead of
 * 6.65 %, and 90 % for AstraZeneca's 吉非替尼 bid at the ceiling itself.
 *
 * Each row's figure is divided by its box's count where the row is the same drug (by the 4+7 list
 * name of seeds/source/generic-names-en.csv) in the same strength as a 4+7 box of exactly that price;
 * otherwise (another strength: 阿托伐他汀 10mg against the pilot's 20mg box; a price that is no
 * box's: 头孢呋辛酯 6.16 against the box's 6.18) the sheet states no per-unit ceiling, and the cell
 * is left empty rather than guessed. `fixes` receives what was done to each row.
 */
export function expansionCeilings(
  book: OpenedWorkbook,
  boxes: readonly PilotBox[],
  listedAs: (genericName: string) => string | undefined,
  fixes: Map<number, CeilingFix>,
): OpenedWorkbook {
  const headers = book.header?.headers ?? [];
  const at = (name: string) => headers.indexOf(name);
  const [ceiling, name, spec] = [at(CEILING), at(NAME), at(SPEC)];
  if (ceiling < 0 || name < 0 || spec < 0) throw new Error(`the expansion sheet has no ${[CEILING, NAME, SPEC].filter((h) => at(h) < 0).join(", ")} column`);
  const fix = (r: CsvRecord): CsvRecord => {
    const given = (r.cells[ceiling] ?? "").trim();
    if (given === "") return r;
    const rawName = (r.cells[name] ?? "").trim();
    const genericName = splitFusedForm(rawName)?.genericName ?? rawName;
    const strength = (r.cells[spec] ?? "").trim();
    const amounts = strengthAmounts(strength).join(" ");
    const drug = listedAs(genericName);
    const sameDrug = boxes.filter((b) => drug !== undefined && b.listedAs === drug);
    const sameStrength = sameDrug.filter((b) => strengthAmounts(b.spec).join(" ") === amounts);
    let e4: E4 | null = null;
    try {
      e4 = parseYuan(given);
    } catch {}
    const box = sameStrength.find((b) => e4 !== null && b.chosenPriceE4 === e4);
    const perUnit = box && e4 !== null ? formatYuan(BigInt(unitPriceE4Rounded(e4, box.packageQty))) : null;
    const reason = box
      ? `the 4+7 box ${box.spec}×${box.packageQty} at ${given}`
      : !sameDrug.length
        ? "no 4+7 box of this drug"
        : !sameStrength.length
          ? `the 4+7 box is ${sameDrug.map((b) => b.spec).join(", ")}, not ${strength}`
          : `no 4+7 box of ${strength} costs ${given} (${sameStrength.map((b) => formatYuan(b.chosenPriceE4)).join(", ")})`;
    fixes.set(r.row, { row: r.row, genericName, spec: strength, given, perUnit, reason });
    const cells = [...r.cells];
    cells[ceiling] = perUnit ?? "";
    return { ...r, cells };
  };
  const records = book.records;
  return {
    ...book,
    records: {
      async *[Symbol.asyncIterator]() {
        for await (const chunk of records) yield chunk.map(fix);
      },
    },
  };
}
