import { createTestWorld, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

/** Posts a CSV import through the HTTP API (the path an admin uses) and returns the report. */
export async function importCsv(world: TestWorld, kind: string, csv: string, query = ""): Promise<{ status: number; body: any }> {
  const res = await world.app.request(`/api/v1/imports?kind=${kind}${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "text/csv" },
    body: csv,
  });
  return { status: res.status, body: await res.json() };
}

/** A batch, two drugs with known package sizes and agreed volumes, on top of the seeds. */
export const TEST_BATCH_CSV = `id,name,level,category,announced,cycleStart,cycleEnd
test-drug,测试批次（手算）,provincial,drug,2021-12,2022-01-01,2022-12-31
`;

export const TEST_PRICES_CSV = `批次,通用名,剂型,规格,包装,转换比,生产企业,医保编码,批准文号,中选价格,集采前价格,供应地区,约定采购量
test-drug,阿托伐他汀钙片,片剂,20mg,7片/盒,7,甲药业,XA01TEST0001,国药准字H00000001,3.6,156.8,乌海市,1000
test-drug,氨氯地平片,片剂,5mg,14片/盒,14,乙药业,,国药准字H00000002,1.4,28,乌海市、大同市,2800
test-drug,瑞舒伐他汀钙片,片剂,10mg,7片/盒,7,丙药业,,,0.78,20,乌海市,
`;

export async function createSavingsWorld(): Promise<TestWorld> {
  const world = await createTestWorld();
  for (const [kind, csv] of [
    ["batches", TEST_BATCH_CSV],
    ["prices", TEST_PRICES_CSV],
  ] as const) {
    const { status, body } = await importCsv(world, kind, csv);
    if (status !== 200) throw new Error(`${kind} import failed: ${JSON.stringify(body.errors ?? body)}`);
  }
  return world;
}
