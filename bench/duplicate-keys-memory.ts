import { detach } from "../src/import/detach";
import { DuplicateKeys } from "../src/import/duplicate-keys";

/**
 * `node --expose-gc --import tsx bench/duplicate-keys-memory.ts [N]`: the memory the importer's
 * duplicate-row map holds for N (default 1,000,000) SYNTHETIC volume keys, as a Map of detached
 * strings (before) and as DuplicateKeys (now). Memory is the JS heap plus ArrayBuffers (where the
 * typed arrays live) after a full GC, with the map still reachable.
 */
const n = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const used = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
// A volume row's key (price id, city code, month, as volumesKind.key builds it) and a price's
// (batch and natural key, as pricesKind.key builds it).
const shapes: Array<[string, (i: number) => string]> = [
  [
    "volume keys",
    (i) =>
      `${1 + (i % 2000)}\u0000${110000 + (Math.floor(i / 2000) % 341) * 100}\u0000${2016 + Math.floor(i / 682_000)}-${String(1 + (Math.floor(i / 2000 / 341) % 12)).padStart(2, "0")}`,
  ],
  ["price keys", (i) => `national-drug-${1 + (i % 11)}\u0000name:合成药品${i}|片剂|${1 + (i % 40)}mg|${[7, 14, 28][i % 3]}|合成制药有限公司${i % 500}`],
];

function measure(label: string, fill: () => unknown): void {
  const before = used();
  const t = performance.now();
  const held = fill();
  const ms = performance.now() - t;
  const after = used();
  console.log(
    `${label.padEnd(40)} ${((after - before) / 2 ** 20).toFixed(1).padStart(7)} MB for ${n.toLocaleString("en")} keys (${((after - before) / n).toFixed(1)} bytes a key), filled in ${ms.toFixed(0)} ms`,
  );
  if (!held) throw new Error("unreachable");
}

for (const [shape, key] of shapes) {
  measure(`${shape}: Map<string, number> (before)`, () => {
    const map = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const k = key(i);
      if (map.get(k) === undefined) map.set(detach(k), i + 2);
    }
    return map;
  });
  measure(`${shape}: DuplicateKeys (now)`, () => {
    const dup = new DuplicateKeys();
    for (let i = 0; i < n; i++) dup.firstRow(key(i), i + 2);
    return dup;
  });
}
