import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { PRICE_COLUMNS, syntheticPrices, writeCsv } from "../../../src/synthetic/index.js";

/** A writable that keeps everything and is slow: tiny buffer, asynchronous completion. */
class SlowSink extends Writable {
  readonly parts: string[] = [];
  drains = 0;
  constructor() {
    super({ highWaterMark: 1024, decodeStrings: false });
    this.on("drain", () => this.drains++);
  }
  override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.parts.push(String(chunk));
    setImmediate(cb);
  }
  /** Ends the stream and returns everything written (writeCsv itself leaves the stream open). */
  async close(): Promise<string> {
    this.end();
    await finished(this);
    return this.parts.join("");
  }
}

describe("writeCsv", () => {
  it("writes a header and every row, quoting fields with commas and quotes, and reads back identical", async () => {
    const rows = [
      { a: "plain", b: "has, comma", c: 'has "quote"' },
      { a: "new\nline", b: "", c: "中文、顿号" },
    ];
    const sink = new SlowSink();
    const n = await writeCsv(rows, ["a", "b", "c"], sink, { chunkSize: 1 });
    expect(n).toBe(2);
    expect(sink.writableEnded).toBe(false);
    const text = await sink.close();
    expect(text.startsWith("a,b,c\n")).toBe(true);
    expect(text).toContain('"has, comma"');
    expect(text).toContain('"has ""quote"""');
    expect(text.endsWith("\n")).toBe(true);
    const back = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(back.errors).toEqual([]);
    expect(back.data).toEqual(rows);
  });

  it("respects backpressure and keeps every generated row, in order", async () => {
    const sink = new SlowSink();
    const n = await writeCsv(syntheticPrices({ count: 3000, seed: 4 }), PRICE_COLUMNS, sink, { chunkSize: 250 });
    expect(n).toBe(3000);
    expect(sink.drains).toBeGreaterThan(0); // it did wait for 'drain'
    expect(sink.writableLength).toBeLessThan(256 * 1024); // and never piled the file up in the buffer
    const back = Papa.parse<Record<string, string>>(await sink.close(), { header: true, skipEmptyLines: true });
    expect(back.errors).toEqual([]);
    expect(back.meta.fields).toEqual([...PRICE_COLUMNS]);
    expect(back.data).toEqual([...syntheticPrices({ count: 3000, seed: 4 })]);
  });

  it("writes only the header for no rows, and rejects a bad chunk size", async () => {
    const sink = new SlowSink();
    expect(await writeCsv([], ["x", "y"] as never[], sink)).toBe(0);
    expect(await sink.close()).toBe("x,y\n");
    await expect(writeCsv([], [], new SlowSink(), { chunkSize: 0 })).rejects.toThrow(RangeError);
  });

  it("rejects when the stream fails", async () => {
    const broken = new Writable({
      highWaterMark: 16,
      write(_c, _e, cb) {
        cb(new Error("disk full"));
      },
    });
    broken.on("error", () => {});
    await expect(writeCsv(syntheticPrices({ count: 1000 }), PRICE_COLUMNS, broken, { chunkSize: 10 })).rejects.toThrow("disk full");
  });
});
