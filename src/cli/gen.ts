/**
 * Writes deterministic SYNTHETIC demo data (never real prices) for benchmarks and demos:
 *   tsx src/cli/gen.ts --prices N --out <dir> [--seed S]
 * produces <dir>/batches.csv and <dir>/prices.csv. Defaults: 1000 prices, seed 1, data/synthetic.
 * Memory stays flat for any N: rows are generated and written in chunks.
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { BATCH_COLUMNS, PRICE_COLUMNS, syntheticBatches, syntheticPrices, writeCsv } from "../synthetic/index.js";

export interface GenOptions {
  prices: number;
  out: string;
  seed: number;
}

export const GEN_USAGE = "usage: tsx src/cli/gen.ts [--prices N] [--out DIR] [--seed S]";

function integerArg(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n > max) throw new Error(`--${name} must be at most ${max}, got "${value}"`);
  return n;
}

/** Parses the command line (without node and script). Throws with a message on bad input. */
export function parseGenArgs(argv: readonly string[]): GenOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      prices: { type: "string" },
      out: { type: "string" },
      seed: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    prices: integerArg("prices", values.prices, 1000, Number.MAX_SAFE_INTEGER),
    out: values.out ?? "data/synthetic",
    seed: integerArg("seed", values.seed, 1, 0xffff_ffff),
  };
}

async function writeCsvFile<Row extends object>(path: string, rows: Iterable<Row>, columns: readonly (keyof Row & string)[]): Promise<number> {
  const stream = createWriteStream(path, { encoding: "utf8" });
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  const count = await Promise.race([writeCsv(rows, columns, stream), failed]);
  stream.end();
  await finished(stream);
  return count;
}

/** Generates both files; returns the row counts. */
export async function runGen(opts: GenOptions): Promise<{ batches: number; prices: number }> {
  await mkdir(opts.out, { recursive: true });
  const batches = await writeCsvFile(join(opts.out, "batches.csv"), syntheticBatches(), BATCH_COLUMNS);
  const prices = await writeCsvFile(join(opts.out, "prices.csv"), syntheticPrices({ count: opts.prices, seed: opts.seed }), PRICE_COLUMNS);
  return { batches, prices };
}

async function main(): Promise<void> {
  let opts: GenOptions;
  try {
    opts = parseGenArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${GEN_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { batches, prices } = await runGen(opts);
  console.log(
    `wrote ${batches} batches to ${join(opts.out, "batches.csv")} and ${prices} prices to ${join(opts.out, "prices.csv")} ` +
      `(seed ${opts.seed}). This is SYNTHETIC demo data, not real prices: every row says synthetic=true and every code starts with SYN.`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
