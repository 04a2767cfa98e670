import type { E4 } from "../domain";
import type { FieldDef } from "./headers";
import { parsePackageText } from "./package-text";
import type { RowReader } from "./row-reader";
import { parseIntegerCell, parseMoneyCell } from "./values";

/**
 * A hospital's purchase list (采购目录 / 进货单) as the price check reads it: the product columns of
 * a prices file, plus what the hospital paid per package and how many packages it bought.
 */
export const PURCHASE_LIST_FIELDS: readonly FieldDef[] = [
  { field: "nhsaCode", aliases: ["医保编码", "药品编码"] },
  { field: "approvalNo", aliases: ["批准文号", "注册证号"] },
  { field: "genericName", aliases: ["药品通用名", "通用名", "药品名称", "产品名称", "品种名称", "物资名称"] },
  { field: "dosageForm", aliases: ["剂型"] },
  { field: "spec", aliases: ["规格", "制剂规格", "规格型号"] },
  { field: "packageText", aliases: ["包装", "包装规格"] },
  { field: "packageQty", aliases: ["转换比", "包装转换比"] },
  { field: "packageUnit", aliases: ["单位", "包装单位"] },
  { field: "manufacturer", aliases: ["中选企业", "生产企业", "申报企业", "申报企业名称", "企业名称", "药品企业", "中选厂家"] },
  { field: "price", aliases: ["进价", "采购价", "单价", "采购单价", "purchasePrice"], required: true },
  { field: "quantity", aliases: ["数量", "采购数量", "purchaseQuantity"], required: true },
];

export type PurchaseLine = {
  row: number;
  nhsaCode: string | null;
  approvalNo: string | null;
  genericName: string | null;
  dosageForm: string | null;
  spec: string | null;
  manufacturer: string | null;
  /** Smallest units per package of the line, when the line says (转换比 or package text). */
  packageQty: number | null;
  /** Paid per package, e4. */
  price: E4;
  /** Packages bought. */
  quantity: number;
};

/** Reads one line, reporting every problem of it; null when the line cannot be checked. */
export function readPurchaseLine(r: RowReader): PurchaseLine | null {
  const nhsaCode = r.text("nhsaCode", { max: 50 });
  const approvalNo = r.text("approvalNo", { max: 100 });
  const genericName = r.text("genericName", { max: 200 });
  if (nhsaCode === null && approvalNo === null && genericName === null) {
    r.fail("genericName", "is empty and so are nhsaCode and approvalNo; a line must name its product");
  }
  const packageText = r.text("packageText", { max: 200 });
  const qty = r.parse("packageQty", (v) => parseIntegerCell(v, { min: 1 }));
  const price = r.parse("price", parseMoneyCell, { required: true });
  const quantity = r.parse("quantity", (v) => parseIntegerCell(v), { required: true });
  const line = {
    row: r.row,
    nhsaCode,
    approvalNo,
    genericName,
    dosageForm: r.text("dosageForm", { max: 100 }),
    spec: r.text("spec", { max: 200 }),
    manufacturer: r.text("manufacturer", { max: 200 }),
    packageQty: qty ?? parsePackageText(packageText)?.packageQty ?? null,
  };
  if (r.issues.length || price === null || quantity === null) return null;
  return { ...line, price, quantity };
}
