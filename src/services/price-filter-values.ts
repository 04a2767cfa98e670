import { yuanToE4 } from "../domain";

/** A filter bound may have more decimals than a price; round it to the stored precision. */
/** Above any price there is: a larger bound filters nothing more and would not fit an exact amount. */
const MAX_FILTER_YUAN = 100_000_000_000;

export function yuanToE4Loose(yuan: number): bigint {
  return yuanToE4(Math.round(Math.min(yuan, MAX_FILTER_YUAN) * 10000) / 10000);
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
