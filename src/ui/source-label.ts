import { SYNTHETIC_BATCH_SOURCE } from "../synthetic/batches";
import { SYNTHETIC_PRICE_SOURCE } from "../synthetic/prices";

/** Source notes as a pharmacist reads them: the generator's English marker of demo data in Chinese. */
export function sourceLabel(source: string | null): string | null {
  if (source === null || source === "") return null;
  if (source === SYNTHETIC_BATCH_SOURCE || source === SYNTHETIC_PRICE_SOURCE) return "合成演示数据（不是真实价格）";
  return source;
}
