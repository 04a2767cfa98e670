import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Papa from "papaparse";

/** Absolute path of a file relative to the repository root. */
export const repoPath = (rel: string): string => fileURLToPath(new URL(`../../../${rel}`, import.meta.url));
/** Absolute path of a published-facts fixture (copied into the repository with its source). */
export const factsPath = (rel: string): string => repoPath(`test/fixtures/facts/${rel}`);

export interface ParsedCsv<K extends string> {
  fields: string[];
  rows: Record<K, string>[];
  raw: string;
}

/** Reads a CSV with a header row; `K` names the columns the caller relies on. */
export function readCsv<K extends string = string>(path: string): ParsedCsv<K> {
  const raw = readFileSync(path, "utf8");
  const parsed = Papa.parse<Record<K, string>>(raw, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${path}: ${JSON.stringify(parsed.errors)}`);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data, raw };
}
