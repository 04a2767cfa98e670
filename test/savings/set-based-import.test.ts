import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transactionWrite } from "../../src/import/writer";
import { runImport } from "../../src/services/imports";
import type { TestWorld } from "../support/test-db";
import { createSavingsWorld } from "./world";

/*
 * A volume import keeps the rollups set-based (one GROUP BY per rollup and chunk, the per-row
 * triggers standing aside while volume_rollup_pending holds the chunk's rows). Whatever the chunk
 * size, and whether rows are new, changed or unchanged, every rollup must equal a GROUP BY of the
 * raw rows; a file rejected after chunks were written leaves nothing; and afterwards the triggers
 * keep working for any other write.
 */
let world: TestWorld;
beforeAll(async () => {
  world = await createSavingsWorld();
});
afterAll(() => world?.close());

const SUMS =
  "SUM(parts) AS parts, SUM(volume_rows) AS rows, SUM(units) AS units, SUM(amount_paid_e4) AS amount, SUM(spend_num) AS spend, SUM(fund_hi) AS hi, SUM(fund_lo) AS lo, SUM(unshared_num) AS unshared";
const COLS = "parts, volume_rows AS rows, units, amount_paid_e4 AS amount, spend_num AS spend, fund_hi AS hi, fund_lo AS lo, unshared_num AS unshared";

/** Each rollup beside the same sums computed from the raw rows (volume_parts, the view the triggers read). */
async function rollupsAndRaw() {
  const q = (text: string) => world.db.all(sql.raw(text));
  const pairs: Array<[string, string]> = [
    [
      `SELECT batch_id, region_code, month, divisor, ${COLS} FROM savings_rollup_batch_region_month WHERE parts <> 0 ORDER BY 1, 2, 3, 4`,
      `SELECT batch_id, region_code, month, divisor, ${SUMS} FROM volume_parts GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    ],
    [
      `SELECT batch_id, divisor, ${COLS} FROM savings_rollup_batch WHERE parts <> 0 ORDER BY 1, 2`,
      `SELECT batch_id, divisor, ${SUMS} FROM volume_parts GROUP BY 1, 2 ORDER BY 1, 2`,
    ],
    [
      `SELECT region_code, month, divisor, ${COLS} FROM savings_rollup_region_month WHERE parts <> 0 ORDER BY 1, 2, 3`,
      `SELECT region_code, month, divisor, ${SUMS} FROM volume_parts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ],
    [
      `SELECT price_id, region_code, units, volume_rows FROM purchase_rollup_price_region WHERE volume_rows <> 0 ORDER BY 1, 2`,
      `SELECT price_id, region_code, SUM(units) AS units, COUNT(*) AS volume_rows FROM volumes GROUP BY 1, 2 ORDER BY 1, 2`,
    ],
  ];
  const out: Array<{ rollup: unknown[]; raw: unknown[] }> = [];
  for (const [rollup, raw] of pairs) out.push({ rollup: await q(rollup), raw: await q(raw) });
  return out;
}

async function expectRollupsEqualRaw() {
  for (const { rollup, raw } of await rollupsAndRaw()) expect(rollup).toEqual(raw);
  expect(await world.db.get(sql`SELECT count(*) AS n FROM volume_rollup_pending`)).toEqual({ n: 0 });
}

const HEADER = "批次,医保编码,通用名,剂型,规格,转换比,生产企业,地区,月份,采购量,数量单位,采购金额,基金支付比例";
const ROWS = [
  "test-drug,XA01TEST0001,,,,,,150300,2022-01,100,最小使用单位,360,",
  "test-drug,XA01TEST0001,,,,,,140200,2022-01,15,最小使用单位,54,70%", // 2 boxes and 1 tablet
  "test-drug,,氨氯地平片,片剂,5mg,14,乙药业,150300,2022-01,3,包装,,",
  "test-drug,,氨氯地平片,片剂,5mg,14,乙药业,大同市,2022-02,29,最小使用单位,40.6,",
  "test-drug,,瑞舒伐他汀钙片,片剂,10mg,7,丙药业,15,2022-02,70,最小使用单位,,55.5%",
];
const file = (rows: string[]) => new TextEncoder().encode([HEADER, ...rows].join("\n"));
/** The CLI's writer with two-row chunks: a five-row file takes three chunks. */
const smallChunks = () => transactionWrite({ chunkRows: 2 });

describe("a volume import keeps the rollups set-based", () => {
  it("equals the raw rows after new rows, changed and unchanged rows, in chunks of two rows", async () => {
    const first = await runImport(world.db, { kind: "volumes", bytes: file(ROWS), write: smallChunks() });
    expect(first.errors).toEqual([]);
    expect(first.rowsImported).toBe(5);
    await expectRollupsEqualRaw();
    // Two rows changed (units; fund share removed), three the same, one new.
    const changed = [
      ROWS[0]!.replace(",100,", ",101,"),
      ROWS[1]!.replace(",70%", ","),
      ROWS[2]!,
      ROWS[3]!,
      ROWS[4]!,
      "test-drug,XA01TEST0001,,,,,,150300,2022-03,7,包装,,",
    ];
    const second = await runImport(world.db, { kind: "volumes", bytes: file(changed), write: smallChunks() });
    expect(second.errors).toEqual([]);
    expect([second.rowsImported, second.rowsUnchanged]).toEqual([3, 3]);
    await expectRollupsEqualRaw();
    const units = await world.db.get<{ u: number }>(
      sql`SELECT units AS u FROM volumes v JOIN prices p ON p.id = v.price_id WHERE v.region_code = '150300' AND v.month = '2022-03'`,
    );
    expect(units?.u).toBe(49);
  });

  it("leaves the rollups as they were when a row after written chunks is invalid", async () => {
    const before = await rollupsAndRaw();
    const bad = [...ROWS.map((r) => r.replace(/,2022-0(\d),/, ",2023-0$1,")), "test-drug,XA01TEST0001,,,,,,150300,2023-05,四盒,最小使用单位,,"];
    const report = await runImport(world.db, { kind: "volumes", bytes: file(bad), write: smallChunks() });
    expect(report.rowsImported).toBe(0);
    expect(report.errors).toEqual([{ row: 7, column: "采购量", message: expect.any(String) }]);
    expect(await rollupsAndRaw()).toEqual(before);
    expect(await world.db.get(sql`SELECT count(*) AS n FROM volumes WHERE month LIKE '2023-%'`)).toEqual({ n: 0 });
  });

  it("finds each row's price from its own cells when rows repeat a product, written alike or not", async () => {
    // The same product over and over (as a month of volumes names it once per region), written
    // exactly alike, then in another form (full-width digits, spaces), then with a firm that has no
    // chosen price: each row gets the price its own cells name, or its own error.
    const rows = [
      "test-drug,,氨氯地平片,片剂,5mg,14,乙药业,150300,2024-01,1,包装,,",
      "test-drug,,氨氯地平片,片剂,5mg,14,乙药业,140200,2024-01,2,包装,,",
      "test-drug,,氨氯地平片, 片剂 ,５mg,１４,乙药业,150100,2024-01,3,包装,,",
      "test-drug,,氨氯地平片,片剂,5mg,14,乙药业,150300,2024-02,4,包装,,",
      "test-drug,,氨氯地平片,片剂,5mg,14,丁药业,150300,2024-03,5,包装,,",
      "no-such-batch,,氨氯地平片,片剂,5mg,14,乙药业,150300,2024-04,6,包装,,",
    ];
    const rejected = await runImport(world.db, { kind: "volumes", bytes: file(rows), write: smallChunks() });
    expect(rejected.errors.map((e) => [e.row, e.column])).toEqual([
      [6, "通用名"],
      [7, "通用名"],
    ]);
    const report = await runImport(world.db, { kind: "volumes", bytes: file(rows.slice(0, 4)), write: smallChunks() });
    expect(report.errors).toEqual([]);
    const stored = await world.db.all<{ price: number; units: number }>(
      sql`SELECT price_id AS price, units FROM volumes WHERE month LIKE '2024-%' ORDER BY units`,
    );
    expect(stored.map((r) => r.units)).toEqual([14, 28, 42, 56]);
    expect(new Set(stored.map((r) => r.price)).size).toBe(1);
    await expectRollupsEqualRaw();
    await world.db.run(sql`DELETE FROM volumes WHERE month LIKE '2024-%'`);
  });

  it("keeps the per-row triggers working for any other write afterwards", async () => {
    await world.db.run(sql`UPDATE volumes SET units = units + 3 WHERE region_code = '150300' AND month = '2022-01'`);
    await world.db.run(sql`DELETE FROM volumes WHERE month = '2022-02'`);
    await expectRollupsEqualRaw();
    const rows = await world.db.get<{ n: number }>(sql`SELECT SUM(volume_rows) AS n FROM savings_rollup_month`);
    expect(rows?.n).toBe(4);
  });
});
