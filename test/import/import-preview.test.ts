import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewImport } from "../../src/services/import-preview";
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
    expect(preview!.samples.updated).toEqual([{ label: "预览测试批次", detail: "预览乙片 20mg 预览乙药业", chosenPrice: 7.5 }]);
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
