/** One 32-bit lane of a key's fingerprint; injectable so a test can make every key collide in a lane. */
export type KeyHash = (key: string) => number;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/** MurmurHash3 (x86, 32-bit) over the key's UTF-16 code units, two to a block. */
function murmur3(key: string, seed: number): number {
  let h = seed;
  const n = key.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    h ^= Math.imul(rotl(Math.imul(key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16), 0xcc9e2d51), 15), 0x1b873593);
    h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
  }
  if (i < n) h ^= Math.imul(rotl(Math.imul(key.charCodeAt(i), 0xcc9e2d51), 15), 0x1b873593);
  return mix(h ^ (n * 2));
}

/** FNV-1a over the code units: built unlike murmur, so keys made to collide in one lane do not in the other. */
function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h = Math.imul(h ^ (c & 0xff), 0x01000193);
    h = Math.imul(h ^ (c >>> 8), 0x01000193);
  }
  return mix(h);
}

/** Murmur3's finalizer: every input bit moves every output bit. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** The three lanes of a key's 96-bit fingerprint; the first also places the key in the table. */
export const FINGERPRINT: readonly [KeyHash, KeyHash, KeyHash] = [(k) => murmur3(k, 0x9747b28c), (k) => murmur3(k, 0x5bd1e995), fnv1a];

/** Ints per slot: the fingerprint's three lanes, the key's first row (0 = empty slot). */
const SLOT = 4;
/** The table grows by half when more than three slots in four are taken. */
const MAX_LOAD = 0.75;
const GROWTH = 1.5;

/**
 * The first row of every key an import has seen, to report "row N duplicates row M". A Map of
 * strings held each key as a heap string of its own: 148 MB for a million prices' keys. The keys'
 * bytes end to end took 37-80 MB for a million (the batch and the product's name, firm and
 * strength); this keeps a 96-bit fingerprint of each key instead, 16 bytes a slot in an
 * open-addressing table a half to three quarters full: 24 MB for a million keys, whatever their
 * length. Two different keys are taken for one only when all 96 bits agree: for a million keys a
 * chance of about one in 10^17, far below that of a memory error in the machine.
 */
export class DuplicateKeys {
  private slots = new Int32Array(1024 * SLOT);
  private capacity = 1024;
  private count = 0;

  constructor(private readonly lanes: readonly [KeyHash, KeyHash, KeyHash] = FINGERPRINT) {}

  get size(): number {
    return this.count;
  }

  /** The row that first had `key`; when none did, records `row` (≥ 1) as its first and returns undefined. */
  firstRow(key: string, row: number): number | undefined {
    const a = this.lanes[0](key) | 0;
    const b = this.lanes[1](key) | 0;
    const c = this.lanes[2](key) | 0;
    const s = this.slots;
    for (let i = (a >>> 0) % this.capacity; ; i = i + 1 === this.capacity ? 0 : i + 1) {
      const at = i * SLOT;
      const seen = s[at + 3]!;
      if (seen === 0) {
        s[at] = a;
        s[at + 1] = b;
        s[at + 2] = c;
        s[at + 3] = row;
        if (++this.count > this.capacity * MAX_LOAD) this.grow();
        return undefined;
      }
      if (s[at] === a && s[at + 1] === b && s[at + 2] === c) return seen;
    }
  }

  clear(): void {
    this.slots = new Int32Array(1024 * SLOT);
    this.capacity = 1024;
    this.count = 0;
  }

  /** A table half as large again; the stored first lane places every key again. */
  private grow(): void {
    const old = this.slots;
    this.capacity = Math.ceil(this.capacity * GROWTH);
    this.slots = new Int32Array(this.capacity * SLOT);
    for (let from = 0; from < old.length; from += SLOT) {
      if (old[from + 3] === 0) continue;
      let i = (old[from]! >>> 0) % this.capacity;
      while (this.slots[i * SLOT + 3] !== 0) i = i + 1 === this.capacity ? 0 : i + 1;
      this.slots.set(old.subarray(from, from + SLOT), i * SLOT);
    }
  }
}
