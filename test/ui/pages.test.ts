import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/cli/demo";
import { TEST_ADMIN_TOKEN } from "../support/test-db";
import { useTestWorld } from "../support/world";

/*
 * The pages without a browser: what a pharmacist or an admin gets from the server alone (the
 * pages work without JavaScript). The browser suite in test/e2e covers the interactive parts.
 */
describe("pages rendered on the server", () => {
  const world = useTestWorld();
  beforeAll(async () => {
    // Synthetic demo prices beside the real seeds: the pages must keep them apart.
    await loadDemo(world.db, 200);
  });

  const html = async (path: string, init?: RequestInit) => {
    const res = await world.app.request(path, init);
    return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text(), res };
  };

  const importForm = (fields: Record<string, string | Blob>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return { method: "POST", body: form } satisfies RequestInit;
  };

  it("searches without JavaScript: one row per name, form and strength, expanding to its firms and packages", async () => {
    const page = await html(`/?q=${encodeURIComponent("阿托伐他汀钙片")}`);
    expect(page.status).toBe(200);
    expect(page.type).toContain("text/html");
    expect(page.text).toContain('<html lang="zh-CN">');
    for (const column of ["通用名", "剂型", "规格", "最低单价（元）", "最高单价（元）", "企业", "最大降幅"]) {
      expect(page.text).toContain(`>${column}<`);
    }
    // one group row per name, form and strength (a <summary>, so it expands without JavaScript): the
    // article's 阿托伐他汀钙片 with the real seed's figures, and the national tables' 阿托伐他汀 (the
    // name without salt and form) as 口服常释片剂 20mg and 口服常释剂型 10mg
    expect(page.text.match(/<details class="group">/g)?.length).toBe(3);
    // (a column's unit prices share their decimals: four here, for 0.9429)
    expect(page.text).toContain('<span class="big">3.6000</span><span class="per"> 元/盒</span>');
    expect(page.text).toContain("97.70 %");
    expect(page.text).toContain("第一批国家组织药品集中采购（4+7试点）");
    // the export link carries the same query
    expect(page.text).toMatch(/href="\/api\/v1\/prices\.csv\?q=%E9%98%BF[^"]*headers=zh"/);
  });

  it("offers the API's did-you-mean names when a typo finds nothing", async () => {
    const page = await html(`/?q=${encodeURIComponent("阿托发他汀")}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("您要找的是不是");
    expect(page.text).toContain(`href="/?q=${encodeURIComponent("阿托伐他汀钙片")}"`);
  });

  it("shows real prices by default and synthetic ones only when asked, marked once", async () => {
    const real = await html(`/?include=ended`);
    expect(real.text).not.toContain("合成数据）");
    expect(real.text).not.toContain("synthetic-note");
    const both = await html(`/?include=ended&synthetic=1`);
    expect(both.text.match(/class="synthetic-note"/g)?.length).toBe(1);
    expect(both.text).toContain("合成数据）");
  });

  it("remembers the province chosen in a cookie and forgets it when 全国 is chosen", async () => {
    const chosen = await world.app.request("/?province=33");
    const cookie = chosen.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/vbp_province=33/);
    expect(cookie).toMatch(/HttpOnly/i);
    const later = await html("/", { headers: { cookie: "vbp_province=33" } });
    expect(later.text).toContain('<option value="33" selected="">浙江省</option>');
    expect(later.text).toContain("浙江省可采购");
    const cleared = await world.app.request("/?province=", { headers: { cookie: "vbp_province=33" } });
    expect(cleared.headers.get("set-cookie")).toMatch(/vbp_province=;.*Max-Age=0/);
  });

  it("labels every input and select on every page", async () => {
    for (const path of ["/", "/savings", "/price-check", "/import"]) {
      const { text } = await html(path);
      const ids = [...text.matchAll(/<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
      const unlabelled = [...text.matchAll(/<(input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")[^>]*>/g)].filter((m) => !/\bid="/.test(m[0]));
      expect(unlabelled, `${path}: inputs without an id to label`).toEqual([]);
      for (const id of ids) expect(text, `${path}: #${id} has a label`).toContain(`for="${id}"`);
    }
  });

  it("answers a bad filter with a 400 page that says in Chinese what was wrong, not a stack trace", async () => {
    const page = await html("/?minDiscount=abc");
    expect(page.status).toBe(400);
    expect(page.text).toContain("查询条件有误");
    expect(page.text).toContain("最小降幅（%）：“abc”不是数字");
    expect(page.text).not.toMatch(/at .*\.ts:\d+/);
    for (const [path, said] of [
      ["/?maxUnitPrice=-1", "最高单价（元）：“-1”不能小于 0"],
      ["/?limit=1.5", "每页条数：“1.5”不是整数"],
      ["/?level=city", "级别：“city”不是可选的值（国家组织 national、省际联盟 alliance、省级 provincial、市级 municipal）"],
    ] as const) {
      const bad = await html(path);
      expect(bad.status, path).toBe(400);
      expect(bad.text, path).toContain(said);
      // The schema's English (the API's words for integrators) is not what a pharmacist reads.
      expect(bad.text, path).not.toMatch(/Invalid|expected|Too (big|small)/);
    }
  });

  it("keeps a pasted line too long to search in the box and says how long it may be", async () => {
    const line = "阿托伐他汀钙片 20mg×7片/盒 北京嘉林药业股份有限公司 国药准字H19990258 ".repeat(3).trim();
    const page = await html(`/?q=${encodeURIComponent(line)}`);
    expect(page.status).toBe(400);
    expect(page.text).toContain(`药品或耗材：有 ${[...line].length} 个字符，最多 100 个，请缩短后再试`);
    expect(page.text).toContain(`value="${line}"`);
    expect(page.text).toMatch(/<input id="q" name="q" type="search" value="[^"]+" maxlength="400"/);
  });

  it("gives a product's 每月药费 as the API does: the defined daily dose unless units a day are given", async () => {
    // 4+7 levetiracetam 250mg×30 at 72 yuan a box: its DDD of 1.5 g is 6 tablets a day, 432 yuan a month.
    const found = (await (await world.app.request(`/api/v1/prices?q=${encodeURIComponent("左乙拉西坦")}&include=ended&limit=100`)).json()) as {
      data: Array<{ batch: { id: string }; product: { id: number; packageQty: number | null } }>;
    };
    const id = found.data.find((x) => x.batch.id === "national-drug-1" && x.product.packageQty === 30)!.product.id;
    const api = (await (await world.app.request(`/api/v1/products/${id}`)).json()) as { data: { therapy: { monthlyCost: number } } };
    expect(api.data.therapy.monthlyCost).toBe(432);
    const figure = (text: string) => text.match(/id="monthly-cost"[^>]*>([^<]+)/)?.[1];
    const ddd = await html(`/products/${id}`);
    expect(figure(ddd.text)).toBe("432.00 元");
    expect(ddd.text).toContain("按限定日剂量（DDD）计：左乙拉西坦（levetiracetam）1500 mg/日");
    expect(ddd.text).toMatch(/id="perDay"[^>]*value="6"/);
    expect(ddd.text).toContain("按每天 6 个最小单位、30 天计");
    // Two a day, typed with a Chinese input method's full-width digit: 144 yuan, as the API's unitsPerDay=2.
    const given = await html(`/products/${id}?perDay=${encodeURIComponent("２")}`);
    expect(figure(given.text)).toBe("144.00 元");
    expect(given.text).not.toContain('role="alert"');
    // A wrong figure is said, and the month is the one without it (the DDD's), not a guess of 1 a day.
    const wrong = await html(`/products/${id}?perDay=abc`);
    expect(wrong.text).toContain("每天用量“abc”不对");
    expect(figure(wrong.text)).toBe("432.00 元");
  });

  it("answers an unknown product or batch with a Chinese 404 page", async () => {
    for (const path of ["/products/999999", "/products/abc", "/batches/no-such-batch", "/no-such-page"]) {
      const page = await html(path, { headers: { accept: "text/html,application/xhtml+xml" } });
      expect(page.status, path).toBe(404);
      expect(page.type).toContain("text/html");
      expect(page.text).toContain("没有找到");
      // the reason in Chinese too, not the service's English
      expect(page.text).not.toMatch(/does not exist|no route/);
    }
    expect((await html("/products/999999")).text).toContain("没有编号为 999999 的产品");
    // the API keeps its JSON 404
    const api = await html("/api/v1/no-such");
    expect(api.status).toBe(404);
    expect(api.type).toContain("application/json");
  });

  it("shows a batch's computed figures beside the published ones and the spread of its reductions", async () => {
    const page = await html("/batches/national-drug-1");
    expect(page.status).toBe(200);
    expect(page.text).toContain("本站计算");
    expect(page.text).toContain("官方公布");
    expect(page.text).toContain("52.00 %"); // published mean reduction of batch 1
    // Batch 1's real results are seeded (26 chosen in the 4+7 table plus the article's atorvastatin): all 25 published items are covered.
    expect(page.text).not.toContain("本站收录了");
    expect(page.text).toMatch(/<title>90–100 %[^<]*：3 个<\/title>/);
    // The list puts the published count beside ours: products where they were published, else the items (品种), said so.
    const list = await html("/batches");
    const row = (id: string) =>
      new RegExp(`href="/batches/${id}"[\\s\\S]*?data-label="产品数"[^>]*>([^<]*)<span class="note">([^<]*)</span>`).exec(list.text)?.slice(1).join("");
    expect(row("national-drug-2")).toBe("100 / 公布 32 个品种");
    expect(row("national-drug-3")).toBe("191 / 公布 191");
    const batch5 = await html("/batches/national-drug-5");
    expect(batch5.text).toContain("本站收录了 0 个产品，官方公布 251 个产品");
  });

  it("refuses an import with a wrong token and writes nothing", async () => {
    const before = await html("/api/v1/imports", { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    const page = await html("/import", importForm({ token: "wrong-token-wrong-token", kind: "prices", file: new File(["a,b\n"], "x.csv") }));
    expect(page.status).toBe(401);
    expect(page.text).toContain("管理令牌不正确");
    const after = await html("/api/v1/imports", { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(JSON.parse(after.text).data.length).toBe(JSON.parse(before.text).data.length);
  });

  /** Signs in on the import page as a browser would and returns the session cookie. */
  const signIn = async (token: string, app = world.app) => {
    const res = await app.request("/import/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    return { res, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
  };

  it("signs the admin in once per browser session with an HttpOnly, SameSite=Strict cookie, never the token in the page", async () => {
    const before = await html("/import");
    expect(before.text).toContain('action="/import/sign-in"');
    expect(before.text).not.toContain('name="file"');
    const { res, cookie } = await signIn(TEST_ADMIN_TOKEN);
    expect(res.status).toBe(303);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^vbp_import_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/import/i);
    // a browser-session cookie: no Max-Age or Expires; the signed value itself expires after 30 minutes
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    expect(setCookie).not.toContain(TEST_ADMIN_TOKEN);
    const after = await html("/import", { headers: { cookie } });
    expect(after.text).toContain('name="file"');
    expect(after.text).toContain("已用管理令牌登录");
    expect(after.text).not.toContain(TEST_ADMIN_TOKEN);
    // a forged or altered cookie is no session
    const forged = await html("/import", { headers: { cookie: cookie.replace(/=.{4}/, "=AAAA") } });
    expect(forged.text).toContain('action="/import/sign-in"');
    const signedOut = await world.app.request("/import/sign-out", { method: "POST", headers: { cookie } });
    expect(signedOut.headers.get("set-cookie")).toMatch(/vbp_import_session=;.*Max-Age=0/);
  });

  it("refuses a wrong token at sign-in, and after 3 failures refuses this address for a minute", async () => {
    const { createApp } = await import("../../src/app");
    const deps = { db: world.db, adminToken: TEST_ADMIN_TOKEN, importBodyLimitBytes: 1024 * 1024, adminAuthFailuresPerMinute: 3 };
    const app = createApp({ deps: () => deps });
    for (let i = 0; i < 3; i++) {
      const { res, cookie } = await signIn(`wrong-token-000000000${i}`, app);
      expect(res.status).toBe(401);
      expect(cookie).toBe("");
      expect(await res.text()).toContain("管理令牌不正确");
    }
    const blocked = await signIn(TEST_ADMIN_TOKEN, app);
    expect(blocked.res.status).toBe(429);
    expect(blocked.res.headers.get("retry-after")).toBeTruthy();
  });

  it("dry-runs an import, then commits the very same file from the confirm form", async () => {
    const { cookie } = await signIn(TEST_ADMIN_TOKEN);
    const csv = "批次,药品通用名,剂型,规格,包装,中选企业,中选价格,最高有效申报价\nnational-drug-4,页面导入测试片,片剂,10mg,7片/盒,演示制药,3.5,10\n";
    const dry = await html("/import", {
      ...importForm({ kind: "prices", dryRun: "1", sourceNote: "某市医保局 页面导入测试", file: new File([csv], "ok.csv", { type: "text/csv" }) }),
      headers: { cookie },
    });
    expect(dry.status).toBe(200);
    expect(dry.res.headers.get("cache-control")).toBe("no-store");
    expect(dry.text).toContain("检查通过：1 行都可以导入");
    expect(dry.text).not.toContain(TEST_ADMIN_TOKEN);
    // the preview: one row would be added, shown as a sample
    expect(dry.text).toContain('<div class="v" id="preview-added">1 行</div>');
    expect(dry.text).toContain('<div class="v" id="preview-updated">0 行</div>');
    expect(dry.text).toMatch(/id="preview-added-rows"[\s\S]*页面导入测试片 10mg 演示制药[\s\S]*3\.50/);
    const searchBefore = await html(`/api/v1/prices?q=${encodeURIComponent("页面导入测试片")}`);
    expect(JSON.parse(searchBefore.text).meta.total).toBe(0);

    const carried = dry.text.match(/name="fileGzip" value="([^"]+)"/)?.[1];
    expect(carried).toBeDefined();
    // the confirm form carries the source note with the file, and each row without a source cites it
    const note = dry.text.match(/<form[^>]*class="actions"[\s\S]*?name="sourceNote" value="([^"]*)"/)?.[1];
    expect(note).toBe("某市医保局 页面导入测试");
    const commit = await html("/import", {
      ...importForm({ kind: "prices", batch: "", sourceNote: note!, fileName: "ok.csv", fileGzip: carried! }),
      headers: { cookie },
    });
    expect(commit.text).toContain("已导入 1 行");
    const searchAfter = JSON.parse((await html(`/api/v1/prices?q=${encodeURIComponent("页面导入测试片")}`)).text);
    expect(searchAfter.meta.total).toBe(1);
    expect(searchAfter.data[0].source).toBe("某市医保局 页面导入测试, row 2");
    // the same table again at a new price: the preview says which columns the update changes, from what to what
    const repriced = await html("/import", {
      ...importForm({ kind: "prices", dryRun: "1", file: new File([csv.replace(",3.5,", ",3.2,")], "ok.csv", { type: "text/csv" }) }),
      headers: { cookie },
    });
    expect(repriced.text).toContain('<div class="v" id="preview-updated">1 行</div>');
    expect(repriced.text).toContain("更新的内容：中选价 1 行，最小单位价 1 行，对最高有效申报价的降幅 1 行，来源 1 行。");
    expect(repriced.text).toMatch(/id="preview-updated-rows"[\s\S]*页面导入测试片 10mg 演示制药[\s\S]*中选价：3\.50 元 → 3\.20 元/);
    // without the session the same post is refused and writes nothing
    const refused = await html("/import", importForm({ kind: "prices", batch: "", fileName: "ok.csv", fileGzip: carried! }));
    expect(refused.status).toBe(401);
  });

  it("carries a checked file of several megabytes to the confirm form compressed, so it imports without a second upload", async () => {
    const { cookie } = await signIn(TEST_ADMIN_TOKEN);
    // 40 prices with a long remark each (an ignored column): 3.2 MB, over the 2 MB that used to be carried at most.
    const remark = "本品为页面大文件导入测试用的备注文字，".repeat(2000);
    const rows = Array.from({ length: 40 }, (_, i) => `national-drug-4,大文件导入测试${i}号片,片剂,${i + 1}mg,7片/盒,演示制药,3.5,10,${remark}`);
    const csv = ["批次,药品通用名,剂型,规格,包装,中选企业,中选价格,最高有效申报价,备注", ...rows].join("\n");
    expect(new TextEncoder().encode(csv).length).toBeGreaterThan(3_000_000);
    const dry = await html("/import", {
      ...importForm({ kind: "prices", dryRun: "1", file: new File([csv], "big.csv", { type: "text/csv" }) }),
      headers: { cookie },
    });
    expect(dry.text).toContain("检查通过：40 行都可以导入");
    expect(dry.text).not.toContain("文件较大");
    const carried = dry.text.match(/name="fileGzip" value="([^"]+)"/)?.[1] ?? "";
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.length).toBeLessThan(100_000);
    const commit = await html("/import", { ...importForm({ kind: "prices", batch: "", fileName: "big.csv", fileGzip: carried }), headers: { cookie } });
    expect(commit.text).toContain("已导入 40 行");
    // A confirm form of a page opened before this version (the file as plain base64) still commits.
    const legacy = `批次,药品通用名,剂型,规格,包装,中选企业,中选价格,最高有效申报价\nnational-drug-4,旧确认表单测试片,片剂,5mg,7片/盒,演示制药,2.5,10\n`;
    const old = await html("/import", {
      ...importForm({ kind: "prices", batch: "", fileName: "old.csv", fileBase64: Buffer.from(legacy).toString("base64") }),
      headers: { cookie },
    });
    expect(old.text).toContain("已导入 1 行");
    // Damaged in the form: nothing imported, and the page says so.
    const damaged = await html("/import", {
      ...importForm({ kind: "prices", batch: "", fileName: "big.csv", fileGzip: carried.slice(0, 500) }),
      headers: { cookie },
    });
    expect(damaged.status).toBe(400);
    expect(damaged.text).toContain("确认表单里的文件内容已损坏");
  });

  it("reports a purchase list's problems by row instead of failing", async () => {
    const form = new FormData();
    form.append("file", new File(["通用名,进价,数量\n阿托伐他汀钙片,abc,3\n"], "list.csv", { type: "text/csv" }));
    const page = await html("/price-check", { method: "POST", body: form });
    expect(page.status).toBe(200);
    expect(page.text).toContain("清单有误");
    expect(page.text).toMatch(/第 2 行<\/td><td>进价<\/td>/);
  });

  it("offers a purchase-list template that Excel opens as UTF-8", async () => {
    const res = await world.app.request("/price-check/template.csv");
    expect(res.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain("通用名");
  });

  it("offers a template whose example lines are real chosen products, classed as the example intends when checked", async () => {
    const { templateLines } = await import("../../src/services/template-lines");
    const lines = await templateLines(world.db);
    const res = await world.app.request("/price-check/template.csv");
    const text = new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()));
    const form = new FormData();
    form.append("file", new File([text], "template.csv", { type: "text/csv" }));
    const page = await html("/price-check", { method: "POST", body: form });
    expect(page.text).not.toContain("清单有误");
    // the shipped real data gives all three examples: at the chosen price, a firm not chosen, above it
    // (without a province, among every price in force)
    expect(lines.map((l) => l.note).sort()).toEqual(["按中选价", "非中选，有中选替代", "高于中选价"].sort());
    // every example names a real (not synthetic) product of this server
    for (const l of lines) expect(text).toContain(`${l.genericName},${l.dosageForm},${l.spec}`);
    const verdicts = (t: string) => [...t.matchAll(/data-label="判定"><span[^>]*>([^<]+)</g)].map((m) => m[1]).sort();
    expect(verdicts(page.text)).toEqual(lines.map((l) => l.note).sort());
    // No real price is nationwide (the 4+7 pilot bought for eleven cities): a hospital's province gets
    // lines among the prices it can buy, classed the same by the check of that province.
    for (const province of ["33", "44", "65"]) {
      const forProvince = await templateLines(world.db, province);
      expect(forProvince.map((l) => l.note).sort(), province).toEqual(["按中选价", "非中选，有中选替代", "高于中选价"].sort());
      const csv = new TextDecoder().decode(new Uint8Array(await (await world.app.request(`/price-check/template.csv?province=${province}`)).arrayBuffer()));
      for (const l of forProvince) expect(csv).toContain(`${l.genericName},${l.dosageForm},${l.spec}`);
      const inProvince = new FormData();
      inProvince.append("province", province);
      inProvince.append("file", new File([csv], "template.csv", { type: "text/csv" }));
      expect(verdicts((await html("/price-check", { method: "POST", body: inProvince })).text), province).toEqual(forProvince.map((l) => l.note).sort());
    }
  });

  /** The 比价 template's header and its example lines (real chosen products of the demo data). */
  const templateCsvLines = async () =>
    new TextDecoder()
      .decode(new Uint8Array(await (await world.app.request("/price-check/template.csv")).arrayBuffer()))
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);

  it("lists the first 1,000 lines of a long list, problems first, and downloads every line as CSV and Excel", async () => {
    // The template's three real lines (at, above, another firm's) 400 times: a year of one ward's purchases.
    const [header, ...lines] = await templateCsvLines();
    expect(lines).toHaveLength(3);
    const form = new FormData();
    form.append("file", new File([[header, ...Array.from({ length: 400 }, () => lines).flat()].join("\n")], "year.csv", { type: "text/csv" }));
    const page = await html("/price-check", { method: "POST", body: form });
    expect(page.status).toBe(200);
    const verdicts = [...page.text.matchAll(/data-label="判定"><span[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(verdicts).toHaveLength(1000);
    expect(verdicts.slice(0, 400).every((v) => v === "高于中选价")).toBe(true);
    expect(verdicts.slice(400, 800).every((v) => v === "非中选，有中选替代")).toBe(true);
    expect(page.text).toContain("清单共 1,200 行，下表只列出前 1,000 行（有问题的行在前）；全部结果请下载 CSV 或 Excel。");
    expect(page.text).toContain("1,200</div>"); // 清单行数 counts every line
    // The downloads carry the list and check it again: every line, problems first.
    const field = (name: string) => page.text.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1] ?? "";
    const carried = () => new URLSearchParams({ listGzip: field("listGzip"), province: field("province"), sheet: field("sheet") });
    const csv = await world.app.request("/price-check/result.csv", { method: "POST", body: carried() });
    expect(csv.headers.get("content-disposition")).toContain(encodeURIComponent("比价结果.csv"));
    const rows = (await csv.text()).trim().split(/\r?\n/);
    expect(rows).toHaveLength(1201);
    expect(rows.slice(1).map((r) => r.split(",")[5])).toEqual([...verdicts.slice(0, 800), ...Array(400).fill("按中选价")]);
    const xlsx = await world.app.request("/price-check/result.xlsx", { method: "POST", body: carried() });
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.getWorksheet("比价结果")!.getColumn(6).values.slice(2)).toHaveLength(1200);
  });

  it("carries the list to its downloads compressed, and refuses a carried list that is damaged or expands past the limit", async () => {
    const [header, ...lines] = await templateCsvLines();
    const list = [header, ...Array.from({ length: 2000 }, () => lines).flat()].join("\n");
    const form = new FormData();
    form.append("file", new File([list], "year.csv", { type: "text/csv" }));
    const page = await html("/price-check", { method: "POST", body: form });
    const field = (name: string) => page.text.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1] ?? "";
    // 6,000 lines of ~130 bytes: the page carries a twentieth of it or less, not the list itself.
    expect(field("listGzip").length).toBeGreaterThan(0);
    expect(field("listGzip").length).toBeLessThan(list.length / 20);
    expect(page.text).not.toContain('name="fileBase64"');
    const download = (fields: Record<string, string>) => world.app.request("/price-check/result.csv", { method: "POST", body: new URLSearchParams(fields) });
    const csv = await download({ listGzip: field("listGzip"), province: "", sheet: "" });
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split(/\r?\n/)).toHaveLength(6001);
    // A result page opened before this version carried the list as plain base64: its downloads still work.
    const plain = await download({ fileBase64: Buffer.from(list).toString("base64"), province: "", sheet: "" });
    expect((await plain.text()).trim().split(/\r?\n/)).toHaveLength(6001);
    // Damaged in the form: a clear 400, in Chinese.
    const damaged = await download({ listGzip: `${field("listGzip").slice(0, 200)}AAAA`, province: "", sheet: "" });
    expect(damaged.status).toBe(400);
    expect(await damaged.text()).toContain("表单里的清单不完整，请重新上传后再下载。");
    // 40 KB of gzip that expands to 40 MB (past the check's 5 MB default): refused while expanding, 413.
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x41)).toString("base64");
    expect(bomb.length).toBeLessThan(100_000);
    const refused = await download({ listGzip: bomb, province: "", sheet: "" });
    expect(refused.status).toBe(413);
    expect(await refused.text()).toContain("采购清单超过了");
  });

  it("serves its stylesheet and script with long caching only under their fingerprinted URL", async () => {
    const { text } = await html("/");
    const css = text.match(/href="(\/ui\/app\.css\?v=[^"]+)"/)?.[1];
    expect(css).toBeDefined();
    expect((await world.app.request(css!)).headers.get("cache-control")).toContain("immutable");
    expect((await world.app.request("/ui/app.css?v=old")).headers.get("cache-control")).not.toContain("immutable");
    expect((await world.app.request("/ui/nothing.js")).status).toBe(404);
  });
});
