/** A 32-bit hash of a key's UTF-8 bytes; injectable so a test can make every key collide. */
export type KeyHash = (bytes: Uint8Array, start: number, end: number) => number;

/** FNV-1a over the bytes, then a murmur3 finalizer so nearby keys spread over the table. */
export const fnv1a: KeyHash = (bytes, start, end) => {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

const encoder = new TextEncoder();
/** Ints per slot: the key's hash, its first row (0 = empty slot), where its bytes start in the arena. */
const SLOT = 3;
/** The table grows by half when more than three slots in four are taken. */
const MAX_LOAD = 0.75;
const GROWTH = 1.5;
/** Key bytes are kept in pages of 1 MB: at most one page is allocated and unused. */
const PAGE_BITS = 20;
const PAGE = 1 << PAGE_BITS;

/**
 * The first row of every key an import has seen, to report "row N duplicates row M". A Map of
 * strings held each key as a heap string of its own (plus the Map's entry): 66 MB for a million
 * volume keys, 148 MB for a million prices' keys. This holds each key's UTF-8 bytes once, after
 * their length, end to end in pages of 1 MB, and an open-addressing table of 12 bytes a slot, a
 * half to three quarters full (it grows by half). Exact: keys whose hashes collide are told apart
 * by their bytes, so the answers are the Map's.
 */
export class DuplicateKeys {
  private slots = new Int32Array(1024 * SLOT);
  private capacity = 1024;
  private pages: Uint8Array[] = [];
  /** Bytes used in the last page. */
  private used = PAGE;
  private count = 0;
  private scratch = new Uint8Array(256);

  constructor(private readonly hash: KeyHash = fnv1a) {}

  get size(): number {
    return this.count;
  }

  /** The row that first had `key`; when none did, records `row` (≥ 1) as its first and returns undefined. */
  firstRow(key: string, row: number): number | undefined {
    // The key's length (LEB128) then its bytes, in the scratch buffer as they would go into the arena.
    if (this.scratch.length < key.length * 3 + 5) this.scratch = new Uint8Array(key.length * 3 + 5);
    const length = encoder.encodeInto(key, this.scratch.subarray(5)).written;
    let head = 5;
    for (let n = length; ; n >>>= 7) {
      head--;
      if (n < 128) break;
    }
    for (let n = length, at = head; at < 5; at++, n >>>= 7) this.scratch[at] = (n & 127) | (at < 4 ? 128 : 0);
    const h = this.hash(this.scratch, 5, 5 + length) | 0;
    const bytes = this.scratch.subarray(head, 5 + length);
    for (let i = (h >>> 0) % this.capacity; ; i = i + 1 === this.capacity ? 0 : i + 1) {
      const at = i * SLOT;
      const seen = this.slots[at + 1]!;
      if (seen === 0) {
        this.store(at, h, row, bytes);
        return undefined;
      }
      if (this.slots[at] === h && this.sameBytes(this.slots[at + 2]!, bytes)) return seen;
    }
  }

  clear(): void {
    this.slots = new Int32Array(1024 * SLOT);
    this.capacity = 1024;
    this.pages = [];
    this.used = PAGE;
    this.count = 0;
  }

  /** The stored key at `offset` (length prefix included) has exactly these bytes. */
  private sameBytes(offset: number, bytes: Uint8Array): boolean {
    const page = this.pages[offset >>> PAGE_BITS]!;
    const start = offset & (PAGE - 1);
    if (start + bytes.length > page.length) return false;
    for (let j = 0; j < bytes.length; j++) if (page[start + j] !== bytes[j]) return false;
    return true;
  }

  private store(at: number, h: number, row: number, bytes: Uint8Array): void {
    // A key starts a new page when the last has no room for it (a key longer than a page gets a page of its own size).
    if (this.used + bytes.length > (this.pages.at(-1)?.length ?? 0)) {
      this.pages.push(new Uint8Array(Math.max(PAGE, bytes.length)));
      this.used = 0;
    }
    this.pages.at(-1)!.set(bytes, this.used);
    this.slots[at] = h;
    this.slots[at + 1] = row;
    this.slots[at + 2] = (this.pages.length - 1) * PAGE + this.used;
    this.used += bytes.length;
    if (++this.count > this.capacity * MAX_LOAD) this.grow();
  }

  /** A table half as large again; the stored hashes place every key without reading its bytes. */
  private grow(): void {
    const old = this.slots;
    this.capacity = Math.ceil(this.capacity * GROWTH);
    this.slots = new Int32Array(this.capacity * SLOT);
    for (let from = 0; from < old.length; from += SLOT) {
      if (old[from + 1] === 0) continue;
      let i = (old[from]! >>> 0) % this.capacity;
      while (this.slots[i * SLOT + 1] !== 0) i = i + 1 === this.capacity ? 0 : i + 1;
      this.slots.set(old.subarray(from, from + SLOT), i * SLOT);
    }
  }
}
