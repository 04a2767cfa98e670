import Papa from "papaparse";
import { type FieldDef, headerScore } from "./headers";

/** Delimiters a spreadsheet's CSV may use: Excel writes `,` (`;` in locales with a decimal comma), tab for "Unicode Text". */
export const DELIMITERS = [",", "\t", ";", "|"] as const;

/**
 * The delimiter is the one that splits the header row into known column names. Only the header
 * row decides: cells below it may hold any delimiter as text (a comma file whose cell reads
 * 甲;乙;丙;丁 is still a comma file). Title rows above the header are skipped as when the header is
 * located; blank rows are skipped too. A file where no delimiter finds two known headers is read
 * as comma-separated, and the missing header is reported.
 */
export function headerDelimiter(sample: string, newline: string, fields: readonly FieldDef[], searchRows: number): string {
  let best: { delimiter: string; score: number } = { delimiter: ",", score: 0 };
  for (const delimiter of DELIMITERS) {
    const rows = Papa.parse<string[]>(sample, { delimiter, newline: newline as Papa.ParseConfig["newline"], preview: searchRows * 4, quoteChar: '"' }).data;
    let seen = 0;
    for (const row of rows) {
      if (row.every((c) => c.trim() === "")) continue;
      if (++seen > searchRows) break;
      const score = headerScore(row, fields);
      if (score > best.score) best = { delimiter, score };
    }
  }
  return best.delimiter;
}
