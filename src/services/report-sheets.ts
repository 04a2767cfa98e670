import { type checkPurchaseList, PRICE_CHECK_CLASS_LABELS } from "./price-check";
import type { getSavings } from "./savings";
import { type Sheet, type SheetColumn, sheetRows } from "./spreadsheet";

type Check = Awaited<ReturnType<typeof checkPurchaseList>>;
type Line = Check["data"][number];
type Savings = Awaited<ReturnType<typeof getSavings>>;

const RULE_LABELS: Record<string, string> = {
  nhsaCode: "医保编码",
  approvalNo: "批准文号",
  nameSpecManufacturer: "通用名+规格+企业",
};

const col = (header: string, kind: SheetColumn["kind"] = "text"): SheetColumn => ({ header, kind });

/** A price check as a workbook: one row per line of the purchase list, and the totals. */
export function priceCheckSheets(check: Check): Sheet[] {
  const lines: Sheet = {
    name: "比价结果",
    columns: [
      col("行号", "integer"),
      col("通用名"),
      col("规格"),
      col("生产企业"),
      col("医保编码"),
      col("批准文号"),
      col("进价", "price"),
      col("数量", "integer"),
      col("金额", "money"),
      col("结果"),
      col("匹配依据"),
      col("中选批次"),
      col("中选产品"),
      col("中选企业"),
      col("中选价格", "price"),
      col("中选单价", "price"),
      col("实付单价", "price"),
      col("每单位多付", "price"),
      col("多付合计", "money"),
      col("可替代中选产品"),
      col("可替代企业"),
      col("替代单价", "price"),
      col("替换可节约", "money"),
    ],
    rows: sheetRows(check.data, (l) => [
      l.row,
      l.input.genericName,
      l.input.spec,
      l.input.manufacturer,
      l.input.nhsaCode,
      l.input.approvalNo,
      l.input.price,
      l.input.quantity,
      l.amountPaid,
      PRICE_CHECK_CLASS_LABELS[l.class],
      l.matchedBy ? (RULE_LABELS[l.matchedBy] ?? l.matchedBy) : null,
      l.chosen?.batch.name ?? null,
      l.chosen ? `${l.chosen.product.genericName} ${l.chosen.product.spec ?? ""}`.trim() : null,
      l.chosen?.product.manufacturer ?? null,
      l.chosen?.chosenPrice ?? null,
      l.chosen?.unitPrice ?? null,
      l.paidUnitPrice,
      l.overpayPerUnit,
      l.overpayTotal,
      l.alternative ? `${l.alternative.product.genericName} ${l.alternative.product.spec ?? ""}`.trim() : null,
      l.alternative?.product.manufacturer ?? null,
      l.alternative?.unitPrice ?? null,
      l.savingIfSwitched,
    ]),
  };
  const t = check.meta.totals;
  const totals: Sheet = {
    name: "合计",
    columns: [col("项目"), col("数值", "money")],
    rows: sheetRows<[string, number]>(
      [
        ["采购金额", t.amountPaid],
        ["多付合计", t.overpayTotal],
        ["替换可节约合计", t.savingIfSwitchedTotal],
        ...Object.entries(t.byClass).map(([k, n]): [string, number] => [`${PRICE_CHECK_CLASS_LABELS[k as Line["class"]] ?? k}（行数）`, n]),
      ],
      ([k, v]) => [k, v],
    ),
  };
  return [lines, totals];
}

const GROUP_HEADERS: Record<Savings["meta"]["groupBy"], string> = { batch: "批次", region: "地区", month: "月份", category: "类别" };

/** A savings report as a workbook: one row per group, then the totals row. */
export function savingsSheets(report: Savings): Sheet[] {
  type Row = Savings["data"][number] | (Savings["meta"]["totals"] & { key: string; label: string });
  const rows: Row[] = [...report.data, { key: "", label: "合计", ...report.meta.totals }];
  return [
    {
      name: "节约医保基金",
      columns: [
        col("编码"),
        col(GROUP_HEADERS[report.meta.groupBy]),
        col("采购量记录数", "integer"),
        col("采购数量（最小单位）", "integer"),
        col("采购金额", "money"),
        col("节约金额", "money"),
        col("节约医保基金", "money"),
        col("基金支付比例", "percent"),
        col("未知支付比例的节约金额", "money"),
        col("约定采购量", "integer"),
        col("预计节约金额", "money"),
        col("预计节约医保基金", "money"),
      ],
      rows: sheetRows(rows, (r) => [
        r.key || null,
        r.label,
        r.volumeRows,
        r.units,
        r.amountPaid,
        r.spendSaved,
        r.fundSaved,
        r.fundSharePct,
        r.spendSavedWithoutFundShare,
        r.projected?.agreedUnits ?? null,
        r.projected?.spendSaved ?? null,
        r.projected?.fundSaved ?? null,
      ]),
    },
  ];
}
