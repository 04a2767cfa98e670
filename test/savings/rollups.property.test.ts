import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addFractions, type Fraction, fundSaved, savingsFromRollup, spendSaved, ZERO_FRACTION } from "../../src/domain";
import { runImport } from "../../src/services/imports";
import type { TestWorld } from "../support/test-db";
import { createSavingsWorld, TEST_PRICES_CSV } from "./world";

/*
 * Whatever sequence of imports happens (new rows, rows replaced, prices corrected, a region's fund
 * share changed), the trigger-maintained rollups must equal a plain aggregation of the raw volume
 * rows computed here independently with src/domain's per-row rules.
 */
let world: TestWorld;
beforeAll(async () => {
  world = await createSavingsWorld();
});
afterAll(() => world?.close());

/** How a volume file names each price: by 医保编码, or by the product's natural key (name, form, spec, 转换比, firm). */
const PRODUCTS = [
  { batch: "test-drug", code: "XA01TEST0001", key: ["", "", "", "", ""] }, // 7 a box, supplies 乌海市
  { batch: "test-drug", code: "", key: ["氨氯地平片", "片剂", "5mg", "14", "乙药业"] }, // 14 a box
  { batch: "national-device-stent", code: "", key: ["冠脉支架", "", "", "", ""] }, // no package size
  { batch: "national-drug-1", code: "", key: ["阿托伐他汀钙片", "片剂", "", "", ""] }, // priced per box
];
const REGIONS = ["150300", "140200", "15", "152900", "大同市"];
const MONTHS = ["2022-01", "2022-02", "2022-03"];

const volumeRow = fc.record({
  product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
  region: fc.integer({ min: 0, max: REGIONS.length - 1 }),
  month: fc.constantFrom(...MONTHS),
  units: fc.integer({ min: 0, max: 5000 }),
  packages: fc.boolean(),
  amount: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
  share: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
});

type Command =
  | { kind: "volumes"; rows: Array<typeof volumeRow extends fc.Arbitrary<infer T> ? T : never> }
  | { kind: "price"; chosen: number }
  | { kind: "share"; share: number | null };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .uniqueArray(volumeRow, {
        minLength: 1,
        maxLength: 8,
        selector: (r) => `${r.product}|${REGIONS[r.region] === "大同市" ? "140200" : REGIONS[r.region]}|${r.month}`,
      })
      .map((rows) => ({ kind: "volumes" as const, rows })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }).map((c) => ({ kind: "price" as const, chosen: c / 100 })) },
  { weight: 1, arbitrary: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: null }).map((s) => ({ kind: "share" as const, share: s })) },
);

function volumesCsv(rows: Extract<Command, { kind: "volumes" }>["rows"]): string {
  const lines = rows.map((r) => {
    const p = PRODUCTS[r.product]!;
    const share = r.share === null ? "" : `${r.share / 10}%`;
    return [
      p.batch,
      p.code,
      ...p.key,
      REGIONS[r.region],
      r.month,
      r.units,
      r.packages ? "包装" : "最小使用单位",
      r.amount === null ? "" : r.amount / 100,
      share,
    ].join(",");
  });
  return ["批次,医保编码,通用名,剂型,规格,转换比,生产企业,地区,月份,采购量,数量单位,采购金额,基金支付比例", ...lines].join("\n");
}

async function apply(c: Command) {
  const db = world.db;
  const enc = (s: string) => new TextEncoder().encode(s);
  if (c.kind === "volumes") {
    const report = await runImport(db, { kind: "volumes", bytes: enc(volumesCsv(c.rows)) });
    expect(report.errors).toEqual([]);
  } else if (c.kind === "price") {
    const csv = TEST_PRICES_CSV.replace(",3.6,156.8,", `,${c.chosen},156.8,`);
    expect((await runImport(db, { kind: "prices", bytes: enc(csv) })).errors).toEqual([]);
  } else {
    const csv = `code,name,parentCode,level,fundShare\n140200,大同市,14,city,${c.share === null ? "" : c.share / 100}\n`;
    expect((await runImport(db, { kind: "regions", bytes: enc(csv) })).errors).toEqual([]);
  }
}

type Raw = {
  priceId: number;
  batchId: string;
  regionCode: string;
  month: string;
  units: number;
  amount: number | null;
  override: number | null;
  chosen: number;
  ref: number | null;
  pq: number | null;
};

const frac = (f: Fraction) => `${f.num}/${f.den}`;

/** The answer from raw rows: per key, exact spend, fund and unshared spend by the domain's per-row rules. */
async function expectedFromRaw(keyOf: (r: Raw) => string) {
  const rows = await world.db.all<Raw>(sql`SELECT v.price_id AS priceId, p.batch_id AS batchId, v.region_code AS regionCode, v.month, v.units,
      v.amount_paid_e4 AS amount, v.fund_share_bp AS override, p.chosen_price_e4 AS chosen, p.reference_price_e4 AS ref, pr.package_qty AS pq
    FROM volumes v JOIN prices p ON p.id = v.price_id JOIN products pr ON pr.id = p.product_id`);
  const regions = await world.db.all<{ code: string; parent: string | null; share: number | null }>(
    sql`SELECT code, parent_code AS parent, fund_share_bp AS share FROM regions`,
  );
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const shareOf = (code: string) => {
    let node = byCode.get(code);
    for (let i = 0; i < 3 && node; i++, node = node.parent ? byCode.get(node.parent) : undefined) if (node.share !== null) return node.share;
    return null;
  };
  const out = new Map<string, { units: bigint; amount: bigint; rows: bigint; spend: Fraction; fund: Fraction; unshared: Fraction }>();
  for (const r of rows) {
    const k = keyOf(r);
    const acc = out.get(k) ?? { units: 0n, amount: 0n, rows: 0n, spend: ZERO_FRACTION, fund: ZERO_FRACTION, unshared: ZERO_FRACTION };
    const spend = spendSaved({
      referencePrice: r.ref === null ? null : BigInt(r.ref),
      chosenPrice: BigInt(r.chosen),
      packageQty: r.pq,
      units: BigInt(r.units),
    });
    const share = r.override ?? shareOf(r.regionCode);
    out.set(k, {
      units: acc.units + BigInt(r.units),
      amount: acc.amount + BigInt(r.amount ?? 0),
      rows: acc.rows + 1n,
      spend: addFractions(acc.spend, spend),
      fund: share === null ? acc.fund : addFractions(acc.fund, fundSaved(spend, share)),
      unshared: share === null ? addFractions(acc.unshared, spend) : acc.unshared,
    });
  }
  return new Map(
    [...out].map(([k, v]) => [k, { units: v.units, amount: v.amount, rows: v.rows, spend: frac(v.spend), fund: frac(v.fund), unshared: frac(v.unshared) }]),
  );
}

/** One rollup table read back through src/domain, keyed like the raw answer, empty groups dropped. */
async function fromRollup(table: string, keyCols: string[]) {
  const rows = await world.db.all<Record<string, string | number>>(
    sql.raw(`SELECT ${keyCols.join(", ")}, divisor,
      CAST(volume_rows AS TEXT) AS volumeRows, CAST(units AS TEXT) AS units, CAST(amount_paid_e4 AS TEXT) AS amountPaid,
      CAST(spend_num AS TEXT) AS spendNum, CAST(fund_hi AS TEXT) AS fundHi, CAST(fund_lo AS TEXT) AS fundLo,
      CAST(unshared_num AS TEXT) AS unsharedNum, parts FROM ${table}`),
  );
  const parts = new Map<string, Parameters<typeof savingsFromRollup>[0] extends Iterable<infer P> ? P[] : never>();
  for (const r of rows) {
    if (Number(r.parts) === 0) continue;
    const k = keyCols.map((c) => String(r[c])).join("|");
    parts.set(k, [
      ...(parts.get(k) ?? []),
      {
        divisor: BigInt(r.divisor!),
        volumeRows: BigInt(r.volumeRows!),
        units: BigInt(r.units!),
        amountPaid: BigInt(r.amountPaid!),
        spendNum: BigInt(r.spendNum!),
        fundHi: BigInt(r.fundHi!),
        fundLo: BigInt(r.fundLo!),
        unsharedNum: BigInt(r.unsharedNum!),
      },
    ]);
  }
  return new Map(
    [...parts].map(([k, p]) => {
      const s = savingsFromRollup(p);
      return [
        k,
        {
          units: s.units,
          amount: s.amountPaid,
          rows: s.volumeRows,
          spend: frac(s.spendSaved),
          fund: frac(s.fundSaved),
          unshared: frac(s.spendWithoutFundShare),
        },
      ];
    }),
  );
}

async function purchases(fromRaw: boolean) {
  const rows = fromRaw
    ? await world.db.all<{ k: string; units: number }>(sql`SELECT price_id || '|' || region_code AS k, SUM(units) AS units FROM volumes GROUP BY 1`)
    : await world.db.all<{ k: string; units: number }>(
        sql`SELECT price_id || '|' || region_code AS k, units FROM purchase_rollup_price_region WHERE volume_rows <> 0`,
      );
  return new Map(rows.map((r) => [r.k, r.units]));
}

async function reset() {
  await world.db.run(sql`DELETE FROM volumes`);
  await world.db.run(sql`UPDATE regions SET fund_share_bp = NULL WHERE code = '140200'`);
  await world.db.run(sql`UPDATE prices SET chosen_price_e4 = 36000 WHERE product_id = (SELECT id FROM products WHERE nhsa_code = 'XA01TEST0001')`);
}

describe("savings rollups", () => {
  it("equal a GROUP BY over the raw volume rows after any sequence of imports", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 5 }), async (commands) => {
        await reset();
        for (const c of commands) await apply(c);
        expect(await fromRollup("savings_rollup_batch_region_month", ["batch_id", "region_code", "month"])).toEqual(
          await expectedFromRaw((r) => `${r.batchId}|${r.regionCode}|${r.month}`),
        );
        expect(await fromRollup("savings_rollup_batch_month", ["batch_id", "month"])).toEqual(await expectedFromRaw((r) => `${r.batchId}|${r.month}`));
        expect(await fromRollup("savings_rollup_region_month", ["region_code", "month"])).toEqual(await expectedFromRaw((r) => `${r.regionCode}|${r.month}`));
        expect(await purchases(false)).toEqual(await purchases(true));
      }),
      { numRuns: 15 },
    );
  });

  it("are empty again once the volume rows are gone", async () => {
    await reset();
    const left = await world.db.all<{ n: number }>(sql`SELECT
      (SELECT count(*) FROM savings_rollup_batch_region_month WHERE parts <> 0 OR spend_num <> 0 OR units <> 0)
      + (SELECT count(*) FROM savings_rollup_batch_month WHERE parts <> 0 OR spend_num <> 0 OR units <> 0)
      + (SELECT count(*) FROM savings_rollup_region_month WHERE parts <> 0 OR spend_num <> 0 OR units <> 0)
      + (SELECT count(*) FROM purchase_rollup_price_region WHERE units <> 0 OR volume_rows <> 0) AS n`);
    expect(left[0]?.n).toBe(0);
  });
});
