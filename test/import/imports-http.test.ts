import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorJson, okJson, typedClient } from "../support/client";
import { snapshotDatabase } from "../support/db-snapshot";
import { createTestWorld, getJson, TEST_ADMIN_TOKEN, type TestWorld } from "../support/test-db";

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const HEADER = "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,referencePrice,referenceKind,supplyRegions\n";

/** The import log through the typed client, with these headers (none: no token). */
const importLog = (world: TestWorld, headers?: Record<string, string>) => typedClient(world.app, headers).api.v1.imports.$get({ query: { limit: "10" } });

// Raw: these uploads set their own body and content type (text/csv, JSON, none), which the typed client cannot send.
const post = (world: TestWorld, query: string, body: BodyInit, headers: Record<string, string> = { ...auth, "content-type": "text/csv" }) =>
  getJson(world.app, `/api/v1/imports?${query}`, { method: "POST", body, headers });

describe("POST /api/v1/imports and GET /api/v1/imports over HTTP", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  it("401 without the token or with a wrong one", async () => {
    const none = await post(world, "kind=prices", HEADER, { "content-type": "text/csv" });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("unauthorized");
    const wrong = await post(world, "kind=prices", HEADER, { authorization: `Bearer ${TEST_ADMIN_TOKEN}x`, "content-type": "text/csv" });
    expect(wrong.status).toBe(401);
    const log = await errorJson(importLog(world));
    expect(log.status).toBe(401);
    expect(log.body.error.code).toBe("unauthorized");
  });

  it("415 for a body that is neither CSV nor a multipart file", async () => {
    const res = await post(world, "kind=prices", JSON.stringify({ a: 1 }), { ...auth, "content-type": "application/json" });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
  });

  it("takes CSV as clients label it: Excel's label for .csv, plain text, bytes (the body's bytes say what it is)", async () => {
    const file = `${HEADER}national-drug-3,标签药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\n`;
    for (const type of ["application/vnd.ms-excel", "text/plain; charset=utf-8", "application/octet-stream", "application/csv"]) {
      const res = await post(world, "kind=prices&dryRun=true", file, { ...auth, "content-type": type });
      expect({ type, status: res.status, rows: res.body.rowsImported }).toEqual({ type, status: 200, rows: 1 });
    }
  });

  it("cites sourceNote, the sheet and the row for each price of a file without a source column; 400 for a note over 200 characters", async () => {
    const file = `${HEADER}national-drug-3,出处甲片,片剂,10mg,7,甲公司,1.5,3,ceiling,\nnational-drug-3,出处乙片,片剂,10mg,7,乙公司,1.2,3,ceiling,\n`;
    const note = "某省医保局 第三批集采接续中选结果 2023-11-01";
    const res = await post(world, `kind=prices&sourceNote=${encodeURIComponent(note)}`, file);
    expect(res.status).toBe(200);
    const prices = await okJson(typedClient(world.app).api.v1.prices.$get({ query: { q: "出处", include: "ended", sort: "unitPrice" } }));
    expect(prices.data.map((p) => p.source)).toEqual([`${note}, row 3`, `${note}, row 2`]);
    const long = await post(world, `kind=prices&sourceNote=${"长".repeat(201)}`, file);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain("sourceNote");
  });

  it("413 for a body over the configured limit (5 MB in tests)", async () => {
    const res = await post(world, "kind=prices", "x".repeat(5 * 1024 * 1024 + 1));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("5 MB") });
  });

  it("422 naming the row and column; the dry run gives the same report; nothing changes", async () => {
    const before = await snapshotDatabase(world.url);
    const file = `${HEADER}national-drug-3,网络药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\nnational-drug-3,坏药片,片剂,10mg,7,乙公司,abc,3,ceiling,\n`;
    const real = await post(world, "kind=prices", file);
    const dry = await post(world, "kind=prices&dryRun=true", file);
    expect(real.status).toBe(422);
    expect(dry.status).toBe(422);
    expect(real.body.errors).toEqual([{ row: 3, column: "chosenPrice", message: '"abc" is not an amount of money' }]);
    expect({ ...dry.body, importId: 0, dryRun: false }).toEqual({ ...real.body, importId: 0 });
    expect(await snapshotDatabase(world.url)).toEqual(before);
  });

  it("a multipart file with ?batch= for a file without a batch column imports", async () => {
    const form = new FormData();
    const csv = "药品通用名,中选价格,最高有效申报价,包装\n表单药片,￥2.00,￥8.00,7片/盒\n";
    form.set("file", new File([csv], "表单.csv", { type: "text/csv" }));
    const res = await post(world, "kind=prices&batch=national-drug-3", form, auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rowsImported: 1, errors: [], encoding: "utf-8" });
  });

  it("409 for a second import while one runs", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `national-drug-3,并发药${i},片剂,10mg,7,并发公司${i},1.5,3,ceiling,\n`);
    const big = new TextEncoder().encode(HEADER + rows.join(""));
    // The first upload is still arriving (its body stays open) when the second one comes in.
    let finishUpload!: () => void;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(big.subarray(0, 1000));
        await new Promise<void>((resolve) => (finishUpload = resolve));
        controller.enqueue(big.subarray(1000));
        controller.close();
      },
    });
    const first = world.app.request("/api/v1/imports?kind=prices", {
      method: "POST",
      body,
      headers: { ...auth, "content-type": "text/csv" },
      duplex: "half",
    } as RequestInit);
    await new Promise((r) => setTimeout(r, 100));
    const second = await post(world, "kind=prices", HEADER);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("import_running");
    finishUpload();
    expect((await first).status).toBe(200);
    expect((await post(world, "kind=prices&dryRun=true", HEADER)).status).toBe(422);
    // 3,000 prices over HTTP take ~15 s on a quiet 2-core machine; the whole suite runs beside it.
  }, 120_000);

  it("GET /api/v1/imports lists every attempt, dry runs too, with counts and errors", async () => {
    const rows = (await okJson(importLog(world, auth))).data;
    expect(rows[0]).toMatchObject({
      kind: "prices",
      status: "rejected",
      dryRun: true,
      errors: [{ row: 1, message: "the file has a header but no data rows" }],
    });
    expect(rows[1]).toMatchObject({ kind: "prices", status: "succeeded", rowsTotal: 3000, rowsImported: 3000, dryRun: false, actor: "token:admin" });
    const dry = rows.find((r) => r.dryRun && r.status === "rejected" && r.rowsTotal === 2);
    expect(dry).toMatchObject({ rowsTotal: 2, rowsImported: 0, rowsRejected: 1, errors: [{ row: 3, column: "chosenPrice" }] });
    expect(rows.find((r) => r.fileName === "表单.csv")).toMatchObject({ status: "succeeded", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe("imports over HTTP without ADMIN_TOKEN", () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld({ adminToken: "" });
  });
  afterAll(() => world.close());

  it("403 with a message saying how to enable them", async () => {
    const res = await post(world, "kind=prices", HEADER);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/ADMIN_TOKEN/);
    const log = await errorJson(importLog(world));
    expect(log.status).toBe(403);
    expect(log.body.error.message).toMatch(/ADMIN_TOKEN/);
  });
});
