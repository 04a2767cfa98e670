import { env, exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openD1 } from "../../src/db/d1";
import { d1StagedWrite } from "../../src/edge/d1-staged-write";
import { runImport } from "../../src/services/imports";
import { snapshotData } from "./d1-snapshot";
import { call, importCsv, ORIGIN, q } from "./support";

const db = () => openD1(env.DB);
const HEADER = "批次,药品通用名,剂型,规格,转换比,中选企业,中选价格,最高有效申报价,供应地区";
const row = (i: number, price = "1.50") => `national-drug-3,测试药${i}号片,片剂,${i}mg,10,丙制药厂,${price},30,北京市`;
const file = (rows: string[]) => new TextEncoder().encode([HEADER, ...rows].join("\n"));

describe("imports through the Worker on D1", () => {
  it("imports a good file, states the Worker's limits, and the rows are searchable at once", async () => {
    const { status, body } = await importCsv("kind=prices", [HEADER, row(1), row(2)].join("\n"));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ kind: "prices", dryRun: false, rowsTotal: 2, rowsImported: 2, rowsRejected: 0, errors: [] });
    expect(body.limits).toMatchObject({ runtime: "cloudflare-workers", database: "d1", maxBodyBytes: 10 * 1024 * 1024, cpuMs: 30_000 });
    expect(body.limits.advice).toContain("split");
    const found = await call(`/api/v1/prices?q=${q("测试药1号")}`);
    expect(found.body.data.map((p: any) => p.product.genericName)).toEqual(["测试药1号片"]);
    expect(found.body.data[0].discountPct).toBe(95);
  });

  it("refuses a file over the Worker's limit with 413, naming the limit and the CLI for larger files", async () => {
    // 10 MB is about what an isolate's 128 MB can import (README, "Deploying to Cloudflare Workers").
    const rows = Array.from({ length: 130_000 }, (_, i) => row(i + 10));
    const big = file(rows);
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    const before = await snapshotData(db());
    // A client address of its own, so the rate limit other tests spend does not answer first.
    const { status, body } = await call("/api/v1/imports?kind=prices", {
      method: "POST",
      body: big,
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "cf-connecting-ip": "203.0.113.93", "content-type": "text/csv" },
    });
    expect(status).toBe(413);
    expect(body.error).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("limit of 10 MB") });
    expect(body.error.message).toContain("npm run import");
    expect(await snapshotData(db())).toEqual(before);
  });

  it("rejects a bad file naming row and column, and writes nothing", async () => {
    const before = await snapshotData(db());
    const { status, body } = await importCsv("kind=prices", [HEADER, row(3), row(4, "abc"), row(5).replace("北京市", "火星")].join("\n"));
    expect(status).toBe(422);
    expect(body.rowsImported).toBe(0);
    expect(body.errors).toEqual([
      { row: 3, column: "中选价格", message: expect.stringContaining("abc") },
      { row: 4, column: "供应地区", message: expect.stringContaining("火星") },
    ]);
    expect(await snapshotData(db())).toEqual(before);
  });

  it("accepts a GB18030 file as Excel on Chinese Windows writes it", async () => {
    // "批次,药品通用名,中选价格\nnational-drug-3,国标药片,2.5" in GB18030.
    const gb = Uint8Array.from([
      0xc5,
      0xfa,
      0xb4,
      0xce,
      0x2c,
      0xd2,
      0xa9,
      0xc6,
      0xb7,
      0xcd,
      0xa8,
      0xd3,
      0xc3,
      0xc3,
      0xfb,
      0x2c,
      0xd6,
      0xd0,
      0xd1,
      0xa1,
      0xbc,
      0xdb,
      0xb8,
      0xf1,
      0x0a,
      ...new TextEncoder().encode("national-drug-3,"),
      0xb9,
      0xfa,
      0xb1,
      0xea,
      0xd2,
      0xa9,
      0xc6,
      0xac,
      ...new TextEncoder().encode(",2.5"),
    ]);
    const { status, body } = await importCsv("kind=prices", gb);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.encoding).toBe("gb18030");
    const found = await call(`/api/v1/prices?q=${q("国标药片")}`);
    expect(found.body.data).toHaveLength(1);
  });

  it("refuses an import without the admin token", async () => {
    const { status, body } = await importCsv("kind=prices", [HEADER, row(6)].join("\n"), "wrong-token-wrong-token");
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthorized");
  });
});

describe("large imports on D1 are written in journaled chunks", () => {
  // Tiny thresholds make a 40-row file take the chunked path that a 5 000-statement file would.
  const staged = () => d1StagedWrite({ singleBatchMax: 10, chunkSize: 7 });
  const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => row(from + i, (1 + i / 100).toFixed(2)));

  it("writes every row of a good file and leaves no journal behind", async () => {
    const report = await runImport(db(), { kind: "prices", bytes: file(rows(40, 100)), write: staged() });
    expect(report.errors).toEqual([]);
    expect(report.rowsImported).toBe(40);
    const n = await db().get<{ n: number }>(sql`SELECT count(*) AS n FROM products WHERE generic_name LIKE '测试药1__号片'`);
    expect(n?.n).toBe(40);
    expect(await db().get<{ n: number }>(sql`SELECT count(*) AS n FROM import_undo`)).toEqual({ n: 0 });
    const triggers = await db().all(sql`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'import_undo_%'`);
    expect(triggers).toEqual([]);
    // The chunked write leaves exactly what one atomic batch would: importing again changes nothing.
    const after = await snapshotData(db());
    await runImport(db(), { kind: "prices", bytes: file(rows(40, 100)) });
    expect(await snapshotData(db())).toEqual(after);
  });

  it("undoes the chunks already written when a row near the end is invalid", { timeout: 90_000 }, async () => {
    // The importer hands over 500 rows at a time, so the bad row must come after two full chunks.
    const updates = rows(20, 100).map((r) => r.replace(/,30,/, ",31,"));
    const before = await snapshotData(db());
    const version = await db().get<{ value: string }>(sql`SELECT value FROM app_meta WHERE key = 'data_version'`);
    const bad = [...updates, ...rows(1100, 1000), row(99, "-1")];
    const write = d1StagedWrite({ singleBatchMax: 1000, chunkSize: 400 });
    const report = await runImport(db(), { kind: "prices", bytes: file(bad), write });
    expect(report.rowsImported).toBe(0);
    expect(report.errors).toEqual([{ row: 1122, column: "中选价格", message: expect.any(String) }]);
    expect(await snapshotData(db())).toEqual(before);
    // The withdrawal journal it had begun went with it: no trigger left to journal other writes.
    expect(await db().all(sql`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'import_journal_%'`)).toEqual([]);
    expect(await db().get<{ n: number }>(sql`SELECT count(*) AS n FROM import_journals WHERE finished = 0`)).toEqual({ n: 0 });
    const search = await call(`/api/v1/prices?q=${q("测试药1500号")}`);
    expect(search.body.data).toEqual([]);
    // The version moved on, so nothing cached while the chunks were visible can be served again.
    const now = await db().get<{ value: string }>(sql`SELECT value FROM app_meta WHERE key = 'data_version'`);
    expect(Number(now?.value)).toBeGreaterThan(Number(version?.value));
  });

  it("answers an .xlsx upload with 415 xlsx_unsupported saying to use the CLI, by media type or by its bytes", async () => {
    // The first bytes of any .xlsx (a zip); Workers do not carry a workbook reader.
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
    // A client address of its own, so the rate limit other tests spend does not answer first.
    const auth = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "cf-connecting-ip": "203.0.113.91" };
    const byType = await call("/api/v1/imports?kind=prices", {
      method: "POST",
      body: zip,
      headers: { ...auth, "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    });
    expect(byType.status).toBe(415);
    expect(byType.body.error.code).toBe("xlsx_unsupported");
    expect(byType.body.error.message).toContain("npm run import");
    const form = new FormData();
    form.append("file", new File([zip], "results.xlsx"));
    const byBytes = await call("/api/v1/imports?kind=prices", { method: "POST", body: form, headers: auth });
    expect(byBytes.status).toBe(415);
    expect(byBytes.body.error.code).toBe("xlsx_unsupported");
  });

  it("answers a purchase list sent as .xlsx with 415 xlsx_unsupported saying to send CSV, and checks the same list as CSV", async () => {
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
    const headers = { "cf-connecting-ip": "203.0.113.93" };
    const xlsx = await call("/api/v1/price-check", {
      method: "POST",
      body: zip,
      headers: { ...headers, "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    });
    expect(xlsx.status).toBe(415);
    expect(xlsx.body.error).toMatchObject({ code: "xlsx_unsupported", message: expect.stringContaining("save the sheet as CSV UTF-8") });
    // Excel's own label for a .csv is taken as CSV here too.
    const csv = await call("/api/v1/price-check", {
      method: "POST",
      body: "通用名,规格,生产企业,进价,数量\n阿托伐他汀钙片,20mg,某企业,1,1\n",
      headers: { ...headers, "content-type": "application/vnd.ms-excel" },
    });
    expect(csv.status).toBe(200);
    expect(csv.body.meta).toMatchObject({ format: "csv", encoding: "utf-8", sheet: null, total: 1 });
  });

  it("checks a list on the 比价 page and downloads the result from the list the page carried, compressed", async () => {
    const headers = { "cf-connecting-ip": "203.0.113.94" };
    const list = ["通用名,规格,生产企业,进价,数量", ...Array.from({ length: 300 }, (_, i) => `阿托伐他汀钙片,20mg,某企业${i % 7},1.${i % 10},${i + 1}`)].join(
      "\n",
    );
    const form = new FormData();
    form.append("file", new File([list], "list.csv", { type: "text/csv" }));
    const page = await (await exports.default.fetch(`${ORIGIN}/price-check`, { method: "POST", body: form, headers })).text();
    const carried = page.match(/name="listGzip" value="([^"]+)"/)?.[1];
    expect(carried?.length).toBeLessThan(list.length / 2);
    const res = await exports.default.fetch(`${ORIGIN}/price-check/result.csv`, {
      method: "POST",
      body: new URLSearchParams({ listGzip: carried!, province: "", sheet: "" }),
      headers,
    });
    expect(res.status).toBe(200);
    expect((await res.text()).trim().split(/\r?\n/)).toHaveLength(301);
  });
});

describe("withdrawing imports on D1 (DELETE /api/v1/imports/{id})", () => {
  // A client address of its own, so the rate limit other tests spend does not answer first.
  const headers = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "cf-connecting-ip": "203.0.113.92" };
  const withdraw = (id: number) => call(`/api/v1/imports/${id}`, { method: "DELETE", headers });
  const rows = (n: number, price: (i: number) => string) => Array.from({ length: n }, (_, i) => row(700 + i, price(i)).replace("测试药", "撤回药"));

  it("restores what a later import replaced, refuses the earlier one while the later stands, for chunked and single-batch imports", async () => {
    // Rows a withdrawal puts back are stamped anew (so a sync hears of them): every other column is as before.
    const before = await snapshotData(db(), { stamps: false });
    // A takes the chunked, journaled path; B goes in one batch through the Worker.
    const a = await runImport(db(), {
      kind: "prices",
      bytes: file(rows(40, (i) => (1 + i / 100).toFixed(2))),
      write: d1StagedWrite({ singleBatchMax: 10, chunkSize: 7 }),
    });
    expect(a.errors).toEqual([]);
    const afterA = await snapshotData(db(), { stamps: false });
    const b = await importCsv("kind=prices", [HEADER, ...rows(5, () => "9.99"), row(799, "3.00").replace("测试药", "撤回药")].join("\n"));
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    const refused = await withdraw(a.importId);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "withdraw_conflict", details: { laterImports: [b.body.importId] } });
    const done = await withdraw(b.body.importId);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ rowsRestored: 5, withdrawnBy: "token:admin" });
    expect(await snapshotData(db(), { stamps: false })).toEqual(afterA);
    expect((await withdraw(a.importId)).status).toBe(200);
    expect(await snapshotData(db(), { stamps: false })).toEqual(before);
    expect((await withdraw(999_999)).status).toBe(404);
    expect((await call(`/api/v1/imports/${a.importId}`, { method: "DELETE", headers: { "cf-connecting-ip": "203.0.113.92" } })).status).toBe(401);
  });
});
