import { getTableName, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { prices, products, purchasesByPriceRegion, regions, savingsByBatchRegionMonth, volumeRollupPending, volumes } from "../../db/schema";
import { bareColumns, columnNames, renderedAlias, trustedSql } from "../../db/trusted-sql";
import { upsertUnlessSame } from "../../db/upsert";
import { productNaturalKey } from "../../domain/names";
import { detach } from "../detach";
import type { FieldDef } from "../headers";
import { parseShareCell } from "../numbers";
import { resolveRegion } from "../region-list";
import { regionLookup } from "../region-names";
import type { RowReader } from "../row-reader";
import { parseDateCell, parseIntegerCell, parseMoneyCell } from "../values";
import type { ImportOptions, KindSpec } from "./types";

export type VolumeRecord = {
  priceId: number;
  regionCode: string;
  month: string;
  units: number;
  amountPaidE4: bigint | null;
  fundShareBp: number | null;
};

type PriceRef = { priceId: number; packageQty: number | null };

export type VolumesContext = {
  batchOverride?: string;
  /** `${batch}\0${naturalKey}` → price */
  priceByKey: Map<string, PriceRef>;
  regionCode: Map<string, string>;
  batches: Set<string>;
  /** The product cells of a row as written → the price they named (see findPrice); filled as rows are read. */
  priceByCells?: Map<string, PriceRef>;
};

/** The columns findPrice reads: the batch and the product cells a row names its chosen price by. */
export const PRICE_REF_FIELDS = [
  { field: "batch", aliases: ["批次", "集采批次", "批次编号"] },
  { field: "nhsaCode", aliases: ["医保编码", "药品编码"] },
  { field: "genericName", aliases: ["药品通用名", "通用名", "药品名称", "产品名称", "品种名称", "物资名称"] },
  { field: "dosageForm", aliases: ["剂型"] },
  { field: "spec", aliases: ["规格", "制剂规格", "规格型号"] },
  { field: "packageQty", aliases: ["转换比", "包装转换比"] },
  { field: "manufacturer", aliases: ["中选企业", "生产企业", "申报企业", "申报企业名称", "企业名称", "药品企业", "中选厂家"] },
] as const satisfies readonly FieldDef[];

/**
 * What a row naming a chosen price and a region is checked against: every chosen price by batch
 * and product key (findPrice), the batches that have one, and the regions by name or code.
 */
export async function readPriceRefs(db: Db, options: ImportOptions): Promise<Omit<VolumesContext, "priceByCells">> {
  const p = renderedAlias(prices, "p");
  const pr = renderedAlias(products, "pr");
  const chosen = await db.all<{ id: number; batchId: string; naturalKey: string; packageQty: number | null }>(
    sql`SELECT ${p.id} AS id, ${p.batchId} AS batchId, ${pr.naturalKey} AS naturalKey, ${pr.packageQty} AS packageQty
        FROM ${prices} ${p} JOIN ${products} ${pr} ON ${pr.id} = ${p.productId}`,
  );
  const r = bareColumns(regions);
  const places = await db.all<{ code: string; name: string }>(sql`SELECT ${r.code} AS code, ${r.name} AS name FROM ${regions}`);
  return {
    batchOverride: options.batch,
    priceByKey: new Map(chosen.map((c) => [`${c.batchId}\u0000${c.naturalKey}`, { priceId: c.id, packageQty: c.packageQty }])),
    regionCode: regionLookup(places),
    batches: new Set(chosen.map((c) => c.batchId)),
  };
}

/** Product cells a volume row names its price by; a row with the same cells names the same price. */
const PRODUCT_CELLS = ["nhsaCode", "genericName", "dosageForm", "spec", "packageQty", "manufacturer"] as const;
/** Distinct product cell combinations remembered per import (a file names a few thousand prices). */
const PRICE_CACHE_MAX = 50_000;

/*
 * Table and column names through the schema, as text: the statements below are built once as text
 * (trustedSql), with one JSON parameter at most (D1's limit of 100 parameters).
 */
const V = columnNames(volumes);
const VOLUMES = getTableName(volumes);
const PEND = columnNames(volumeRollupPending);
const PENDING = getTableName(volumeRollupPending);
const ROLL = columnNames(savingsByBatchRegionMonth);
const BOUGHT = columnNames(purchasesByPriceRegion);
/** A volume row's written columns, in the order of jsonRows; volume_rollup_pending has the same. */
const VOLUME_COLUMNS = [V.priceId, V.regionCode, V.month, V.units, V.amountPaidE4, V.fundShareBp].join(", ");
const PENDING_COLUMNS = [PEND.priceId, PEND.regionCode, PEND.month, PEND.units, PEND.amountPaidE4, PEND.fundShareBp];

/** Unchanged rows are not rewritten, so importing the same file twice changes nothing. */
const VOLUME_UPSERT_TEXT = upsertUnlessSame(volumes, ["priceId", "regionCode", "month"], ["units", "amountPaidE4", "fundShareBp"]);
const VOLUME_STAMP = bareColumns(volumes).updatedAt;
const VOLUME_INTO = trustedSql(`INSERT INTO ${VOLUMES} (${VOLUME_COLUMNS})`);
const VOLUME_UPSERT = trustedSql(VOLUME_UPSERT_TEXT);

export const UNIT_KINDS: Readonly<Record<string, "smallest" | "package">> = {
  smallest: "smallest",
  package: "package",
  最小使用单位: "smallest",
  最小单位: "smallest",
  包装: "package",
  包装单位: "package",
};

export const volumesKind: KindSpec<VolumesContext, VolumeRecord> = {
  kind: "volumes",
  fields: [
    ...PRICE_REF_FIELDS,
    { field: "region", aliases: ["地区", "统筹区", "地区代码", "区划代码"], required: true },
    { field: "month", aliases: ["月份", "采购月份"], required: true },
    { field: "units", aliases: ["采购量", "实际采购量", "数量"], required: true },
    { field: "unitKind", aliases: ["数量单位", "计量单位"] },
    { field: "amountPaid", aliases: ["采购金额", "金额"] },
    { field: "fundShare", aliases: ["基金支付比例", "报销比例"] },
  ],
  prepare: async (db: Db, options) => ({ ...(await readPriceRefs(db, options)), priceByCells: new Map() }),
  readRow(r, ctx) {
    const price = findPrice(r, ctx);
    const regionRaw = r.text("region", { required: true, max: 100 });
    const regionCode = regionRaw === null ? null : (resolveRegion(regionRaw, ctx.regionCode) ?? null);
    if (regionRaw !== null && regionCode === null)
      r.fail("region", `region "${regionRaw}" is unknown (give a name, short name or GB/T 2260 code of an imported region)`);
    const month = r.parse("month", (v) => parseDateCell(v, { monthOnly: true }), { required: true });
    const quantity = r.parse("units", (v) => parseIntegerCell(v), { required: true });
    const unitKind = r.oneOf("unitKind", UNIT_KINDS) ?? "smallest";
    const amountPaidE4 = r.parse("amountPaid", parseMoneyCell);
    const fundShareBp = r.parse("fundShare", parseShareCell);
    if (r.issues.length || !price || regionCode === null || month === null || quantity === null) return null;
    // Stored in smallest units so realized savings compare per unit like reductions do.
    const units = unitKind === "package" ? quantity * (price.packageQty ?? 1) : quantity;
    return { priceId: price.priceId, regionCode, month, units, amountPaidE4, fundShareBp };
  },
  countChanged: async (db, since) => (await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${volumes} WHERE ${VOLUME_STAMP} >= ${since}`))[0]?.n ?? 0,
  key: (rec) => `${rec.priceId}\u0000${rec.regionCode}\u0000${rec.month}`,
  statements: (v) => [
    sql`${VOLUME_INTO}
      VALUES (${v.priceId}, ${v.regionCode}, ${v.month}, ${v.units}, ${v.amountPaidE4 === null ? null : Number(v.amountPaidE4)}, ${v.fundShareBp})
      ${VOLUME_UPSERT}`,
  ],
  chunkStatements: (recs) => volumeChunkStatements(recs),
};

/**
 * The chosen price a volume row names. A month of volumes repeats each product once per region, so
 * the price found for a row's product cells (exactly as written, with its batch) is remembered: a
 * row with the same cells gets it without normalizing five cells into the natural key again, and
 * the checks it skips are functions of those cells, which passed for the first row.
 */
export function findPrice(r: RowReader, ctx: Pick<VolumesContext, "batchOverride" | "priceByKey" | "priceByCells">): PriceRef | null {
  const batch = r.text("batch", { max: 100 }) ?? ctx.batchOverride ?? null;
  if (batch === null) {
    r.fail("batch", "is empty; add a batch column or pass the batch for the whole file");
    return null;
  }
  let cells = batch;
  for (const field of PRODUCT_CELLS) cells += `\u0000${r.cell(field)}`;
  const known = ctx.priceByCells?.get(cells);
  if (known) return known;
  const price = findPriceByKey(r, ctx, batch);
  if (price && ctx.priceByCells && r.issues.length === 0) {
    if (ctx.priceByCells.size >= PRICE_CACHE_MAX) ctx.priceByCells.clear();
    // Detached: the cells are slices of the file's decoded piece, which the cache must not keep alive.
    ctx.priceByCells.set(detach(cells), price);
  }
  return price;
}

function findPriceByKey(r: RowReader, ctx: Pick<VolumesContext, "priceByKey">, batch: string): PriceRef | null {
  const nhsaCode = r.text("nhsaCode", { max: 50 });
  const genericName = r.text("genericName", { max: 200 });
  if (nhsaCode === null && genericName === null) {
    r.fail("nhsaCode", "is empty and so is genericName; a volume must name its product by code or by name, form, spec and firm");
    return null;
  }
  const key = productNaturalKey({
    nhsaCode,
    genericName: genericName ?? "",
    dosageForm: r.text("dosageForm"),
    spec: r.text("spec"),
    packageQty: r.parse("packageQty", (v) => parseIntegerCell(v, { min: 1 })),
    manufacturer: r.text("manufacturer"),
  });
  const price = ctx.priceByKey.get(`${batch}\u0000${key}`);
  if (!price) {
    r.fail(nhsaCode !== null ? "nhsaCode" : "genericName", `no chosen price in batch "${batch}" matches ${nhsaCode ?? genericName}`);
    return null;
  }
  return price;
}

const jsonRows = (recs: VolumeRecord[]) =>
  JSON.stringify(recs.map((v) => [v.priceId, v.regionCode, v.month, v.units, v.amountPaidE4 === null ? null : Number(v.amountPaidE4), v.fundShareBp]));

/** The rollup's sums; the view pending_volume_parts (drizzle/0017, not in the schema) names its figures the same. */
const SUMS = [ROLL.parts, ROLL.volumeRows, ROLL.units, ROLL.amountPaidE4, ROLL.spendNum, ROLL.fundHi, ROLL.fundLo, ROLL.unsharedNum].join(", ");
const ROLL_KEY = [ROLL.batchId, ROLL.regionCode, ROLL.month, ROLL.divisor].join(", ");
const ADD_SUMS = SUMS.split(", ")
  .map((c) => `${c} = ${c} + excluded.${c}`)
  .join(", ");
/** Adds (sign +) or takes away (sign -) the rollup parts of the pending volume rows, one row per group. */
function pendingParts(sign: "+" | "-"): SQL[] {
  const summed = SUMS.split(", ")
    .map((c) => `${sign}SUM(${c})`)
    .join(", ");
  return [
    trustedSql(`INSERT INTO ${getTableName(savingsByBatchRegionMonth)} (${ROLL_KEY}, ${SUMS})
      SELECT ${ROLL_KEY}, ${summed} FROM pending_volume_parts WHERE true
      GROUP BY ${ROLL_KEY}
      ON CONFLICT (${ROLL_KEY}) DO UPDATE SET ${ADD_SUMS}`),
    trustedSql(`INSERT INTO ${getTableName(purchasesByPriceRegion)} (${BOUGHT.priceId}, ${BOUGHT.regionCode}, ${BOUGHT.units}, ${BOUGHT.volumeRows})
      SELECT v.${V.priceId}, v.${V.regionCode}, ${sign}SUM(v.${V.units}), ${sign}COUNT(*) FROM ${PENDING} p
      CROSS JOIN ${VOLUMES} v ON v.${V.priceId} = p.${PEND.priceId} AND v.${V.regionCode} = p.${PEND.regionCode} AND v.${V.month} = p.${PEND.month} WHERE true
      GROUP BY v.${V.priceId}, v.${V.regionCode}
      ON CONFLICT (${BOUGHT.priceId}, ${BOUGHT.regionCode}) DO UPDATE SET ${BOUGHT.units} = ${BOUGHT.units} + excluded.${BOUGHT.units},
        ${BOUGHT.volumeRows} = ${BOUGHT.volumeRows} + excluded.${BOUGHT.volumeRows}`),
  ];
}

/**
 * The rows of a JSON array (jsonRows) that are new or differ from the stored volume, into
 * volume_rollup_pending: text around the one JSON parameter, j's columns named as the pending table's.
 */
const PENDING_FROM_JSON_HEAD = trustedSql(`INSERT INTO ${PENDING} (${PENDING_COLUMNS.join(", ")})
      SELECT ${PENDING_COLUMNS.map((c) => `j.${c}`).join(", ")}
      FROM (SELECT ${PENDING_COLUMNS.map((c, i) => `value->>${i} AS ${c}`).join(", ")}
            FROM json_each(`);
const PENDING_FROM_JSON_TAIL = trustedSql(`)) j
      LEFT JOIN ${VOLUMES} v ON v.${V.priceId} = j.${PEND.priceId} AND v.${V.regionCode} = j.${PEND.regionCode} AND v.${V.month} = j.${PEND.month}
      WHERE v.${V.id} IS NULL OR (v.${V.units}, v.${V.amountPaidE4}, v.${V.fundShareBp}) IS NOT (j.${PEND.units}, j.${PEND.amountPaidE4}, j.${PEND.fundShareBp})`);

/**
 * One chunk of volume rows with the savings rollups kept set-based (drizzle/0017): the rows that
 * are new or differ are copied into volume_rollup_pending (which makes the per-row triggers stand
 * aside), their old parts leave the rollups in one GROUP BY, exactly those rows are written, their
 * new parts arrive in one GROUP BY, and the table is emptied. Rows are written from the pending
 * table (plain columns, the JSON read once), so a row is in the rollups once whatever the upsert decides. The statements must run together in one
 * transaction or batch (every writer keeps a chunk's statements together). Each binds one JSON
 * parameter at most, so they suit D1's 100-parameter limit. Per-row triggers cost ~150 µs a row;
 * this costs one rollup row per group.
 */
export function volumeChunkStatements(recs: VolumeRecord[]): SQL[] {
  if (recs.length === 0) return [];
  const rows = jsonRows(recs);
  return [
    sql`${PENDING_FROM_JSON_HEAD}${rows}${PENDING_FROM_JSON_TAIL}`,
    ...pendingParts("-"),
    trustedSql(`INSERT INTO ${VOLUMES} (${VOLUME_COLUMNS})
      SELECT ${PENDING_COLUMNS.join(", ")} FROM ${PENDING} WHERE true
      ${VOLUME_UPSERT_TEXT}`),
    ...pendingParts("+"),
    sql`DELETE FROM ${volumeRollupPending}`,
  ];
}

/**
 * The same chunk as one statement with the per-row triggers keeping the rollups (the form before
 * drizzle/0017); kept for the volume-import bench, which times both side by side.
 */
export function volumeChunkStatementsPerRowTriggers(recs: VolumeRecord[]): SQL[] {
  return [
    sql`${VOLUME_INTO}
      SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5 FROM json_each(${jsonRows(recs)}) j
      WHERE true ${VOLUME_UPSERT}`,
  ];
}
