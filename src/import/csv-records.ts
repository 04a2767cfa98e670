import Papa from "papaparse";
import type { RowIssue } from "./row-reader";

/** One CSV record with its row number as a spreadsheet counts it (a quoted newline stays in one row). */
export type CsvRecord = { row: number; cells: string[] };
export type CsvChunk = { records: CsvRecord[]; issues: RowIssue[] };

/** A record longer than this is almost certainly a quote that is never closed. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
const GUESS_CHARS = 64 * 1024;

export class CsvTooLongError extends Error {}

/**
 * Parses decoded CSV text that arrives in pieces with papaparse's own parser, holding at most one
 * piece plus the unfinished record in memory. Yields the complete records of each piece, and
 * syntax problems (unclosed or stray quotes) as issues with row numbers.
 */
export async function* csvRecords(
  text: AsyncIterable<string>,
  { guessChars = GUESS_CHARS, delimiter }: { guessChars?: number; delimiter?: DelimiterChoice } = {},
): AsyncGenerator<CsvChunk> {
  let parser: Papa.Parser | null = null;
  let carry = "";
  let rowsSoFar = 0;
  const parse = (final: boolean): CsvChunk => {
    parser ??= guessParser(carry, delimiter);
    const result: Papa.ParseResult<string[]> = parser.parse(carry, 0, !final);
    const consumed = final ? carry.length : result.meta.cursor;
    carry = carry.slice(consumed);
    const records = result.data.map((cells, i) => ({ row: rowsSoFar + i + 1, cells }));
    // Without `final` the last, unfinished record is parsed again with the next piece: report it then.
    const issues = result.errors
      .filter((e) => final || (e.row ?? 0) < result.data.length)
      .map((e) => ({ row: rowsSoFar + (e.row ?? 0) + 1, column: null, message: `CSV syntax: ${describe(e)}` }));
    rowsSoFar += result.data.length;
    return { records, issues };
  };
  for await (const piece of text) {
    carry += piece;
    if (!parser && (carry.length < guessChars || (firstLineBreak(carry) === null && carry.length < MAX_RECORD_CHARS))) continue;
    const chunk = parse(false);
    if (carry.length > MAX_RECORD_CHARS) {
      throw new CsvTooLongError(`row ${rowsSoFar + 1} is longer than ${MAX_RECORD_CHARS / 1048576} MB; a quote (") is probably never closed`);
    }
    if (chunk.records.length || chunk.issues.length) yield chunk;
  }
  if (carry.length || !parser) {
    const last = parse(true);
    // A file that ends with a line break has no record after it; papaparse reports an empty one.
    if (last.records.length && last.records.at(-1)!.cells.length === 1 && last.records.at(-1)!.cells[0] === "" && carry === "") {
      last.records.pop();
    }
    if (last.records.length || last.issues.length) yield last;
  }
}

/** Delimiter and line break guessed from the start of the file (Excel writes `,` and CRLF). */
function guessParser(text: string, choose?: DelimiterChoice): Papa.Parser {
  const newline = firstLineBreak(text) ?? "\n";
  const head = text.slice(0, GUESS_CHARS);
  const sample = head.includes(newline) ? head.slice(0, head.lastIndexOf(newline) + newline.length) : head;
  if (choose) return new Papa.Parser({ delimiter: choose(sample, newline), newline, quoteChar: '"', escapeChar: '"' });
  const guess = Papa.parse<string[]>(sample, { preview: 50, newline, delimitersToGuess: [",", "\t", ";", "|"] });
  const delimiter = guess.errors.some((e) => e.code === "UndetectableDelimiter") ? "," : guess.meta.delimiter || ",";
  return new Papa.Parser({ delimiter, newline, quoteChar: '"', escapeChar: '"' });
}

/** Picks the delimiter from the start of the file (whole lines) and its line break; see delimiter.ts. */
export type DelimiterChoice = (sample: string, newline: string) => string;

/**
 * The first line break outside quotes decides the file's line ends, so a quoted cell holding a
 * bare LF in a CRLF file is not mistaken for the record separator. Null until one is complete.
 */
export function firstLineBreak(text: string): "\r\n" | "\n" | "\r" | null {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "\n") return "\n";
    else if (!quoted && ch === "\r") return i + 1 >= text.length ? null : text[i + 1] === "\n" ? "\r\n" : "\r";
  }
  return null;
}

function describe(e: Papa.ParseError): string {
  if (e.code === "MissingQuotes") return 'a quoted field is never closed (a " is missing)';
  if (e.code === "InvalidQuotes") return 'a quoted field has text after its closing quote (write a quote inside a field as "")';
  return e.message;
}
