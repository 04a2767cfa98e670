import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewImport } from "../../src/services/import-preview";
import { runImport } from "../../src/services/imports";
import { importFiles } from "../../src/services/seed";
import { okJson, typedClient } from "../support/client";
import { createTestWorld, type TestWorld } from "../support/test-db";

/*
 * The import page's dry run says what the import would add, update and leave unchanged, with
 * sample rows, and writes nothing: the statements run inside a savepoint that is rolled back.
 */
const BATCH = `id,name,level,category,announced,source
preview-b,预览测试批次,provincial,drug,2024-01,fixture
`;
const FIRST = `batch,genericName,dosageForm,spec,packageQty,manufacturer,nhsaCode,chosenPrice,source
preview-b,预览甲片,片剂,10mg,10,预览甲药业,PVW0001,5,fixture
preview-b,预览乙片,片剂,20mg,10,预览乙药业,PVW0002,8,fixture
`;
// 甲 unchanged, 乙 at a new price, 丙 new
const SECOND = `batch,genericName,dosageForm,spec,packageQty,manufacturer,nhsaCode,chosenPrice,source
preview-b,预览甲片,片剂,10mg,10,预览甲药业,PVW0001,5,fixture
preview-b,预览乙片,片剂,20mg,10,预览乙药业,PVW0002,7.5,fixture
preview-b,预览丙片,片剂,5mg,14,预览丙药业,PVW0003,3.2,fixture
`;

describe("import dry run preview", () => {
  let world: TestWorld;
  const bytes = (s: string) => new TextEncoder().encode(s);
  beforeAll(async () => {
    world = await createTestWorld({ seed: false });
    await importFiles(
      world.db,
      [
        { kind: "batches", name: "b.csv", bytes: bytes(BATCH) },
        { kind: "prices", name: "p.csv", bytes: bytes(FIRST) },
      ],
      "test",
    );
  });
  afterAll(() => world.close());

  const pricesOf = async () =>
    (await okJson(typedClient(world.app).api.v1.prices.$get({ query: { batch: "preview-b", include: "ended", sort: "unitPrice" } }))).data.map(
      (p) => `${p.product.genericName} ${p.chosenPrice}`,
    );

  it("counts and samples what would be added and updated, and what stays unchanged, writing nothing", async () => {
    const before = await pricesOf();
    const { report, preview } = await previewImport(world.db, { kind: "prices", bytes: bytes(SECOND), fileName: "second.csv" });
    expect(report.dryRun).toBe(true);
    expect(report.errors).toEqual([]);
    expect(preview).not.toBeNull();
    expect({ added: preview!.added, updated: preview!.updated, unchanged: preview!.unchanged }).toEqual({ added: 1, updated: 1, unchanged: 1 });
    expect(preview!.samples.added).toEqual([{ label: "预览测试批次", detail: "预览丙片 5mg 预览丙药业", chosenPrice: 3.2 }]);
    // the updated row says what changes, from what to what: its package price and so its unit price
    expect(preview!.samples.updated).toEqual([
      {
        label: "预览测试批次",
        detail: "预览乙片 20mg 预览乙药业",
        chosenPrice: 7.5,
        changes: [
          { field: "chosenPrice", kind: "money", from: 8, to: 7.5 },
          { field: "unitPrice", kind: "money", from: 0.8, to: 0.75 },
        ],
      },
    ]);
    expect(preview!.changedColumns).toEqual([
      { field: "chosenPrice", rows: 1 },
      { field: "unitPrice", rows: 1 },
    ]);
    expect(preview!.compared).toBe(1);
    // nothing was written: the same prices as before, and the next import still finds the same changes
    expect(await pricesOf()).toEqual(before);
    const again = await previewImport(world.db, { kind: "prices", bytes: bytes(SECOND) });
    expect(again.preview?.added).toBe(1);
  });

  it("a file with a bad row gets the dry run's report and no preview", async () => {
    const { report, preview } = await previewImport(world.db, { kind: "prices", bytes: bytes(SECOND.replace("3.2", "三块二")) });
    expect(report.errors.length).toBe(1);
    expect(preview).toBeNull();
  });
});

/*
 * The real national results of batch 3 as seeded (seeds/prices-national.csv, each price citing the
 * workbook's sheet and row), imported again the way an analyst would, from a table without the
 * citation column: nothing changes and every citation stays; a price the table changes loses the
 * citation, which no longer sources what it holds.
 */
describe("importing a published table again without its source column", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  const seeded = readFileSync(new URL("../../seeds/prices-national.csv", import.meta.url), "utf8");
  const table = Papa.parse<Record<string, string>>(seeded, { header: true, skipEmptyLines: true });
  const batch3 = table.data.filter((r) => r.batch === "national-drug-3" && r.won === "true");
  const withoutSource = (rows: Array<Record<string, string>>) => new TextEncoder().encode(Papa.unparse(rows.map(({ source: _, ...rest }) => rest)));
  const batch3Prices = async () =>
    (await okJson(typedClient(world.app).api.v1.prices.$get({ query: { batch: "national-drug-3", include: "ended", limit: "200" } }))).data;

  it("leaves every price unchanged and cited, and a changed price takes the file's silence", async () => {
    expect(batch3.length).toBeGreaterThan(150);
    const before = await batch3Prices();
    expect(before.every((p) => p.source?.includes("sheet 第三轮集采"))).toBe(true);

    const again = await previewImport(world.db, { kind: "prices", bytes: withoutSource(batch3), fileName: "第三轮集采.csv" });
    expect(again.report.errors).toEqual([]);
    expect({ added: again.preview!.added, updated: again.preview!.updated }).toEqual({ added: 0, updated: 0 });

    const changed = batch3.map((r, i) => (i === 0 ? { ...r, chosenPrice: "0.9" } : r));
    const first = batch3[0]!;
    const preview = await previewImport(world.db, { kind: "prices", bytes: withoutSource(changed) });
    expect(preview.preview!.updated).toBe(1);
    expect(preview.preview!.changedColumns.map((c) => c.field)).toEqual(expect.arrayContaining(["chosenPrice", "source"]));
    const sample = preview.preview!.samples.updated[0]!;
    expect(sample.detail).toContain(first.manufacturer);
    expect(sample.changes).toContainEqual({ field: "chosenPrice", kind: "money", from: Number(first.chosenPrice), to: 0.9 });
    expect(sample.changes?.find((c) => c.field === "source")?.to).toBeNull();

    const written = await runImport(world.db, { kind: "prices", bytes: withoutSource(changed) });
    expect(written.errors).toEqual([]);
    const after = await batch3Prices();
    const moved = after.filter((p) => p.source === null);
    expect(moved.map((p) => [p.product.manufacturer, p.chosenPrice])).toEqual([[first.manufacturer, 0.9]]);
    expect(after.filter((p) => p.source !== null).length).toBe(before.length - 1);
  });
});
