import { describe, expect, it } from "vitest";
import { FormFile, MalformedForm } from "../../src/middleware/upload-body";
import { readMultipartForm } from "../../src/node-http/form-reader";

/** What a browser posts: the form encoded by the platform, as the request a server receives. */
async function posted(form: FormData): Promise<Request> {
  const encoded = new Request("http://x/", { method: "POST", body: form });
  return new Request("http://x/", { method: "POST", body: await encoded.arrayBuffer(), headers: { "content-type": encoded.headers.get("content-type")! } });
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("a multipart form read as it arrives (the Node server's forms)", () => {
  it("gives the fields Hono's parseBody gives: Chinese names and values, an empty file input, the last of a repeated field, a text field of megabytes", async () => {
    const list = "通用名,规格,生产企业,采购单价,数量\n阿托伐他汀钙片,20mg,北京嘉林药业股份有限公司,1.7292,517\n";
    const carried = "H4sI".padEnd(3 * 1024 * 1024, "A");
    const form = new FormData();
    form.append("province", "新疆（含兵团）");
    form.append("file", new Blob([list]), "采购清单.csv");
    form.append("empty", new Blob([]), "");
    form.append("listGzip", carried);
    form.append("sheet", "第一个");
    form.append("sheet", "第三轮集采");
    const fields = await readMultipartForm(await posted(form));
    expect(Object.keys(fields).sort()).toEqual(["empty", "file", "listGzip", "province", "sheet"]);
    expect(fields.province).toBe("新疆（含兵团）");
    expect(fields.sheet).toBe("第三轮集采");
    expect((fields.listGzip as string).length).toBe(carried.length);
    const file = fields.file as FormFile;
    expect(file).toBeInstanceOf(FormFile);
    expect(file.name).toBe("采购清单.csv");
    expect(file.size).toBe(new TextEncoder().encode(list).length);
    expect(text(await file.bytes())).toBe(list);
    expect((fields.empty as FormFile).size).toBe(0);

    const hono = await new (await import("hono")).Hono().post("/", async (c) => c.json(await c.req.parseBody())).request(await posted(form));
    const theirs = (await hono.json()) as Record<string, unknown>;
    expect(theirs.province).toBe(fields.province);
    expect(theirs.sheet).toBe(fields.sheet);
  });

  it("keeps a large file in the parts it arrived in, joined byte for byte when asked", async () => {
    const bytes = new Uint8Array(5 * 1024 * 1024 + 17).map((_, i) => (i * 7919) % 251);
    const form = new FormData();
    form.append("file", new Blob([bytes]), "big.xlsx");
    const file = (await readMultipartForm(await posted(form))).file as FormFile;
    const parts = await file.parts();
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(await file.bytes()), Buffer.from(bytes))).toBe(0);
  });

  it("lets other work run while a form of 24 MB is read, even when the body comes as one chunk", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(24 * 1024 * 1024).fill(65)]), "list.csv");
    const request = await posted(form);
    let turns = 0;
    let reading = true;
    const other = () => {
      turns++;
      if (reading) setImmediate(other);
    };
    setImmediate(other);
    const fields = await readMultipartForm(request);
    reading = false;
    expect((fields.file as FormFile).size).toBe(24 * 1024 * 1024);
    expect(turns).toBeGreaterThanOrEqual(20);
  });

  it("refuses a form of 60,000 one-byte fields (4 MB) before keeping them, and takes one of 1,000", async () => {
    const many = (n: number) => {
      const form = new FormData();
      for (let i = 0; i < n; i++) form.append(`f${i}`, "x");
      return posted(form);
    };
    await expect(readMultipartForm(await many(60_000))).rejects.toBeInstanceOf(MalformedForm);
    expect(Object.keys(await readMultipartForm(await many(1000)))).toHaveLength(1000);
  });

  it("refuses a form cut short, one without a boundary and one with a broken part header", async () => {
    const form = new FormData();
    form.append("file", new Blob(["a,b\n1,2\n"]), "list.csv");
    const whole = await posted(form);
    const type = whole.headers.get("content-type")!;
    const body = new Uint8Array(await whole.arrayBuffer());
    const cut = new Request("http://x/", { method: "POST", body: body.subarray(0, body.length - 20), headers: { "content-type": type } });
    await expect(readMultipartForm(cut)).rejects.toBeInstanceOf(MalformedForm);
    const noBoundary = new Request("http://x/", { method: "POST", body, headers: { "content-type": "multipart/form-data" } });
    await expect(readMultipartForm(noBoundary)).rejects.toBeInstanceOf(MalformedForm);
    const boundary = type.split("boundary=")[1]!;
    const broken = new Request("http://x/", {
      method: "POST",
      body: `--${boundary}\r\nContent-Disposition form-data name="file"\r\n\r\nx\r\n--${boundary}--\r\n`,
      headers: { "content-type": type },
    });
    await expect(readMultipartForm(broken)).rejects.toBeInstanceOf(MalformedForm);
  });
});
