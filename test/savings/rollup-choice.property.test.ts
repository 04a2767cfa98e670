import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "../../src/services/imports";
import { getSavings, SAVINGS_GROUPS, type SavingsQuery } from "../../src/services/savings";
import type { TestWorld } from "../support/test-db";
import { createSavingsWorld, TEST_PRICES_CSV } from "./world";

/*
 * Each savings question is answered from the smallest rollup that keeps what it filters or groups by
 * (no month without a date filter, no region without a region, …), with the region tree folded in SQL.
 * After any sequence of imports, deletions and corrections, every question must get exactly the
 * answer the same service computes from the raw volume rows, and every coarse rollup must equal the
 * fine one summed over what it lacks.
 */
let world: TestWorld;
beforeAll(async () => {
  world = await createSavingsWorld();
});
afterAll(() => world?.close());

/** Price identifications a volume file may use: 医保编码, or the product's natural key; 7, 14 or no package size. */
const PRODUCTS = ["test-drug,XA01TEST0001,,,,,", "test-drug,,氨氯地平片,片剂,5mg,14,乙药业", "national-device-stent,,冠脉支架,,,,"];
const REGIONS = ["150300", "152900", "15", "140200"];
const MONTHS = ["2022-01", "2022-02", "2022-03", "2022-04"];

const volumeRow = fc.record({
  product: fc.nat(PRODUCTS.length - 1),
  region: fc.nat(REGIONS.length - 1),
  month: fc.nat(MONTHS.length - 1),
  units: fc.integer({ min: 0, max: 3000 }),
  share: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
});

type Step =
  | { kind: "volumes"; rows: Array<typeof volumeRow extends fc.Arbitrary<infer T> ? T : never> }
  | { kind: "delete"; every: number }
  | { kind: "price"; chosen: number }
  | { kind: "share"; region: string; share: number | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .uniqueArray(volumeRow, { minLength: 1, maxLength: 10, selector: (r) => `${r.product}|${r.region}|${r.month}` })
      .map((rows) => ({ kind: "volumes" as const, rows })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }).map((every) => ({ kind: "delete" as const, every })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((c) => ({ kind: "price" as const, chosen: c / 100 })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ region: fc.constantFrom("150300", "15"), share: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: null }) })
      .map((r) => ({ kind: "share" as const, ...r })),
  },
);

const enc = (s: string) => new TextEncoder().encode(s);

async function apply(s: Step) {
  const db = world.db;
  if (s.kind === "volumes") {
    const lines = s.rows.map((r) => [PRODUCTS[r.product], REGIONS[r.region], MONTHS[r.month], r.units, r.share === null ? "" : `${r.share / 10}%`].join(","));
    const csv = ["批次,医保编码,通用名,剂型,规格,转换比,生产企业,地区,月份,采购量,基金支付比例", ...lines].join("\n");
    expect((await runImport(db, { kind: "volumes", bytes: enc(csv) })).errors).toEqual([]);
  } else if (s.kind === "delete") {
    await db.run(sql`DELETE FROM volumes WHERE id % ${s.every} = 0`);
  } else if (s.kind === "price") {
    const csv = TEST_PRICES_CSV.replace(",1.4,28,", `,${s.chosen},28,`);
    expect((await runImport(db, { kind: "prices", bytes: enc(csv) })).errors).toEqual([]);
  } else {
    const row = s.region === "15" ? "15,内蒙古自治区,,province" : "150300,乌海市,15,city";
    const csv = `code,name,parentCode,level,fundShare\n${row},${s.share === null ? "" : s.share / 100}\n`;
    expect((await runImport(db, { kind: "regions", bytes: enc(csv) })).errors).toEqual([]);
  }
}

/** Every combination of grouping and filters, with and without dates. */
const QUESTIONS: SavingsQuery[] = SAVINGS_GROUPS.flatMap((groupBy) =>
  [undefined, "test-drug"].flatMap((batch) =>
    [undefined, "15", "150300", "14"].flatMap((region) =>
      [{}, { from: "2022-02" }, { from: "2022-02", to: "2022-03" }].map((dates) => ({ groupBy, batch, region, ...dates })),
    ),
  ),
);

const SUMS = ["parts", "volume_rows", "units", "amount_paid_e4", "spend_num", "fund_hi", "fund_lo", "unshared_num"];
const COARSE: Array<[table: string, keys: string[]]> = [
  ["savings_rollup_batch_month", ["batch_id", "month"]],
  ["savings_rollup_region_month", ["region_code", "month"]],
  ["savings_rollup_batch_region", ["region_code", "batch_id"]],
  ["savings_rollup_batch", ["batch_id"]],
  ["savings_rollup_region", ["region_code"]],
  ["savings_rollup_month", ["month"]],
];

async function rowsOf(query: string) {
  const rows = await world.db.all<{ r: string }>(sql.raw(query));
  return rows.map((x) => x.r).sort();
}

const line = (cols: string[]) => cols.map((c) => `CAST(${c} AS TEXT)`).join(" || '|' || ");

describe("savings answered from the smallest rollup", () => {
  it("equal the answers from the raw volume rows for every question, after any sequence of changes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        await world.db.run(sql`DELETE FROM volumes`);
        for (const s of steps) await apply(s);
        for (const [table, keys] of COARSE) {
          const fromFine = await rowsOf(`SELECT ${line([...keys, "divisor", ...SUMS.map((c) => `SUM(${c})`)])} AS r
            FROM savings_rollup_batch_region_month GROUP BY ${[...keys, "divisor"].join(", ")} HAVING SUM(parts) <> 0`);
          expect(await rowsOf(`SELECT ${line([...keys, "divisor", ...SUMS])} AS r FROM ${table} WHERE parts <> 0`), table).toEqual(fromFine);
        }
        for (const q of QUESTIONS) {
          const { meta: rolled, ...rolledData } = await getSavings(world.db, q);
          const { meta: raw, ...rawData } = await getSavings(world.db, q, { source: "raw" });
          expect({ ...rolledData, totals: rolled.totals }, JSON.stringify(q)).toEqual({ ...rawData, totals: raw.totals });
          // Without a date filter (and not by month) no month rollup is read; without a region, no region rollup.
          if (!q.from && q.groupBy !== "month") expect(rolled.answeredFrom, JSON.stringify(q)).not.toContain("month");
          if (!q.region && q.groupBy !== "region") expect(rolled.answeredFrom, JSON.stringify(q)).not.toContain("region");
        }
      }),
      { numRuns: 6 },
    );
  });

  it("keep no sums once the volume rows are gone", async () => {
    await world.db.run(sql`DELETE FROM volumes`);
    for (const [table] of COARSE) {
      const left = await world.db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table} WHERE ${SUMS.map((c) => `${c} <> 0`).join(" OR ")}`));
      expect(left[0]?.n, table).toBe(0);
    }
  });
});
