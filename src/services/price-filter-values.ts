import { yuanToE4 } from "../domain";

/** A filter bound may have more decimals than a price; round it to the stored precision. */
export function yuanToE4Loose(yuan: number): bigint {
  return yuanToE4(Math.round(yuan * 10000) / 10000);
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
