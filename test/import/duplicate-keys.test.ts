import { describe, expect, it } from "vitest";
import { DuplicateKeys, FINGERPRINT } from "../../src/import/duplicate-keys";

// Keys as the importers build them: a volume's (price, region, month), a price's batch and natural key.
const keys = [
  "17\u0000110100\u00002024-03",
  "17\u0000110100\u00002024-04",
  "171\u000010100\u00002024-03",
  "national-drug-3\u0000name:阿莫西林|胶囊|0.25g|24|甲公司",
  "bid\u0000national-drug-3\u0000name:阿莫西林|胶囊|0.25g|24|甲公司",
  "national-drug-3\u0000code:XC01AAA0001010101",
  "",
  // Long keys (a length of two bytes before them), alike but for their last character.
  `national-drug-3\u0000name:${"注射用头孢哌酮钠舒巴坦钠".repeat(20)}|甲`,
  `national-drug-3\u0000name:${"注射用头孢哌酮钠舒巴坦钠".repeat(20)}|乙`,
];

/** What the importer reported before: the first row of each key from a Map of strings. */
function firstRowsByMap(rows: string[]): Array<number | undefined> {
  const map = new Map<string, number>();
  return rows.map((key, i) => {
    const first = map.get(key);
    if (first === undefined) map.set(key, i + 2);
    return first;
  });
}

const firstRows = (dup: DuplicateKeys, rows: string[]) => rows.map((key, i) => dup.firstRow(key, i + 2));

describe("the duplicate-row map answers as a Map of the keys did", () => {
  it("names the first row of a repeated key and nothing for a new one", () => {
    const rows = [...keys, keys[0]!, keys[3]!, keys[4]!, "17\u0000110100\u00002024-05", keys[0]!];
    expect(firstRows(new DuplicateKeys(), rows)).toEqual(firstRowsByMap(rows));
    expect(firstRows(new DuplicateKeys(), rows).slice(keys.length)).toEqual([2, 5, 6, undefined, 2]);
    expect(new DuplicateKeys().firstRow(keys[7]!, 2)).toBeUndefined();
  });

  it("tells keys apart when they collide in the lane that places them in the table, or in any two lanes", () => {
    const rows = [...keys, ...keys.slice().reverse(), "17\u0000110100\u00002024-0", "17\u0000110100\u00002024-03 "];
    const [a, b, c] = FINGERPRINT;
    for (const lanes of [
      [() => 42, b, c],
      [a, () => 7, () => 7],
      [() => 1, () => 2, c],
    ] as const) {
      const colliding = new DuplicateKeys(lanes);
      expect(firstRows(colliding, rows)).toEqual(firstRowsByMap(rows));
      expect(colliding.size).toBe(keys.length + 2);
    }
  });

  it("tells apart a million keys that differ in one character, as a million-price file's do", () => {
    const key = (i: number) => `synthetic-drug-${i % 7}\u0000code:SYND${String(i).padStart(10, "0")}`;
    const dup = new DuplicateKeys();
    let duplicates = 0;
    for (let i = 0; i < 1_000_000; i++) if (dup.firstRow(key(i), i + 2) !== undefined) duplicates++;
    expect(duplicates).toBe(0);
    expect(dup.firstRow(key(999_997), 5_000_000)).toBe(999_999);
    expect(dup.firstRow(key(1_000_000), 5_000_001)).toBeUndefined();
  });

  it("keeps every key while the table grows to 100,000 keys", () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `${i % 2000}\u0000${110000 + Math.floor(i / 2000) * 100}\u00002025-01`);
    const dup = new DuplicateKeys();
    expect(firstRows(dup, rows).every((r) => r === undefined)).toBe(true);
    expect(dup.firstRow(rows[77_777]!, 200_000)).toBe(77_779);
    expect(dup.firstRow("new", 200_001)).toBeUndefined();
    dup.clear();
    expect(dup.firstRow(rows[0]!, 5)).toBeUndefined();
  });
});
