import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/cli/demo";
import { importFiles } from "../../src/services/seed";
import { price } from "../../src/ui/format";
import { okJson } from "../support/client";
import { createTestWorld, type TestWorld } from "../support/test-db";
import { apiClients } from "../support/world";

/*
 * The pages answer what the API answers about time, place and baselines (issue 15 on the pages):
 * each price's state, in force by default with include=ended to show the rest, the province
 * remembered across the search, product and price-check pages, both reductions labelled, and the
 * renewal chain. The pages have no state or place rule of their own: they show the services' answer.
 */

// One award and two renewals; the last one runs until 2099, so it is in force whatever day the test runs.
const BATCHES = `id,name,level,category,announced,cycleStart,cycleEnd,source
page-r1,页面测试批次,national,drug,2019-01,2019-04-01,2021-03-31,fixture
page-r1-renewal,页面测试批次接续采购,alliance,drug,2021-02,2021-04-01,2023-03-31,fixture
page-r1-renewal-2,页面测试批次第二次接续,alliance,drug,2023-02,2023-04-01,2099-03-31,fixture
`;
const PRICES = `batch,genericName,dosageForm,spec,packageQty,manufacturer,nhsaCode,chosenPrice,最高有效申报价,集采前价格,supplyRegions,source
page-r1,页面续约片,片剂,10mg,10,续约药业,PGR0001,10,40,100,,fixture
page-r1,页面续约片,片剂,10mg,10,浙江对照药业,PGR0002,6,,,浙江省,fixture
page-r1-renewal-2,页面续约片,片剂,10mg,10,江苏对照药业,PGR0003,7,,,江苏省,fixture
`;
const RENEWAL = `batch,renews,genericName,dosageForm,spec,packageQty,manufacturer,nhsaCode,chosenPrice,source
page-r1-renewal,page-r1,页面续约片,片剂,10mg,10,续约药业,PGR0001,8,fixture
`;
const RENEWAL_2 = `批次,续约原批次,通用名,剂型,规格,转换比,生产企业,医保编码,中选价格,来源
page-r1-renewal-2,page-r1-renewal,页面续约片,片剂,10mg,10,续约药业,PGR0001,9,fixture
`;

describe("pages: state, place, both baselines and renewals as the services answer them", () => {
  let world: TestWorld;
  const bytes = (s: string) => new TextEncoder().encode(s);
  beforeAll(async () => {
    world = await createTestWorld();
    await loadDemo(world.db, 200);
    await importFiles(
      world.db,
      [
        { kind: "batches", name: "b.csv", bytes: bytes(BATCHES) },
        { kind: "prices", name: "p.csv", bytes: bytes(PRICES) },
        { kind: "prices", name: "r1.csv", bytes: bytes(RENEWAL) },
        { kind: "prices", name: "r2.csv", bytes: bytes(RENEWAL_2) },
      ],
      "test",
    );
  });
  afterAll(() => world.close());
  const { api } = apiClients({
    get app() {
      return world.app;
    },
  });

  const html = async (path: string, cookie?: string) => {
    const res = await world.app.request(path, cookie ? { headers: { cookie } } : undefined);
    return { status: res.status, text: await res.text(), res };
  };
  const productId = async (code: string) => (await okJson(api.prices.$get({ query: { q: code, include: "ended" } }))).data[0]!.product.id;
  /** The state words of a page's price rows (their 状态 cells), in order. */
  const states = (text: string) => [...text.matchAll(/data-label="状态"><span class="tag state state-[a-z_]+">([^<]+)</g)].map((m) => m[1]);
  const tags = (text: string) => [...text.matchAll(/class="tag state state-[a-z_]+">([^<]+)</g)].map((m) => m[1]);

  it("search shows each price's state; only prices in force (or of unknown cycle) unless include=ended", async () => {
    const q = `/?q=${encodeURIComponent("页面续约片")}`;
    const current = await html(q);
    expect(current.status).toBe(200);
    // in force today: the second renewal (9) and 江苏's own price (7); the ended cycles are hidden
    expect(states(current.text).sort()).toEqual(["执行中", "执行中"]);
    expect(current.text).toContain('<input id="include" name="include" type="checkbox" value="ended"/>');
    const all = await html(`${q}&include=ended`);
    expect(states(all.text).sort()).toEqual(["已到期", "已到期", "已到期", "执行中", "执行中"]);
    expect(all.text).toContain('value="ended" checked=""');
    // an older link's state=all means the same
    expect(states((await html(`${q}&state=all`)).text)).toHaveLength(5);
    // the API agrees row for row
    const answered = (await okJson(api.prices.$get({ query: { q: "页面续约片", include: "ended" } }))).data;
    expect(answered.map((p) => p.state).sort()).toEqual(["ended", "ended", "ended", "in_force", "in_force"]);
  });

  it("a hospital of 新疆生产建设兵团 chooses it as others choose their province: listed after 新疆, remembered, and it filters", async () => {
    // Batch 2's 阿比特龙 as published: 正大天晴 supplies the 兵团 (and 新疆), 成都盛迪 neither, 江西山香 neither.
    const q = `/?q=${encodeURIComponent("阿比特龙")}&include=ended`;
    const corps = await html(`${q}&province=${encodeURIComponent("新疆生产建设兵团")}`);
    expect(corps.res.headers.get("set-cookie")).toMatch(/vbp_province=660000/);
    expect(corps.text).toContain('<option value="660000" selected="">新疆生产建设兵团</option>');
    const options = [...corps.text.matchAll(/<option value="(\d+)"/g)].map((m) => m[1]);
    expect(options.indexOf("660000")).toBe(options.indexOf("65") + 1);
    expect(corps.text).toContain("正大天晴药业集团股份有限公司");
    expect(corps.text).not.toContain("成都盛迪医药有限公司");
    expect(corps.text).not.toContain("江西山香药业有限公司");
    // remembered: the next page without province= stays on the 兵团
    expect((await html(q, "vbp_province=660000")).text).toContain('<option value="660000" selected="">新疆生产建设兵团</option>');
  });

  it("the province chosen on one page filters the search, product and price-check pages through the services", async () => {
    const q = `/?q=${encodeURIComponent("页面续约片")}&include=ended`;
    const zhejiang = await html(q, "vbp_province=33");
    // 浙江: the nationwide award's three cycles and 浙江's own price, not 江苏's
    expect(zhejiang.text).toContain("浙江对照药业");
    expect(zhejiang.text).not.toContain("江苏对照药业");
    expect(states(zhejiang.text)).toHaveLength(4);

    const id = await productId("PGR0001");
    const product = await html(`/products/${id}?include=ended`, "vbp_province=32");
    expect(product.text).toContain('<option value="32" selected="">江苏省</option>');
    const alternatives = product.text.slice(product.text.indexOf('id="alternatives-heading"'));
    expect(alternatives).toContain("江苏对照药业");
    expect(alternatives).not.toContain("浙江对照药业");
    // chosen on the product page, remembered for the next page
    const chosen = await world.app.request(`/products/${id}?province=33`);
    expect(chosen.headers.get("set-cookie")).toMatch(/vbp_province=33/);
    // a link that names the province as the API reads it (name, short name, six-digit code) opens the page on it,
    // where it used to fall back to 全国 and forget the remembered province
    for (const named of ["浙江省", "浙江", "330000"]) {
      const res = await world.app.request(`${q}&province=${encodeURIComponent(named)}`);
      expect(res.headers.get("set-cookie"), named).toMatch(/vbp_province=33/);
      const text = await res.text();
      expect(text, named).toContain('<option value="33" selected="">浙江省</option>');
      expect(text, named).toContain("浙江对照药业");
      expect(text, named).not.toContain("江苏对照药业");
    }
    // a city means its province, as in the API
    const xiamen = await world.app.request(`${q}&province=${encodeURIComponent("厦门市")}`);
    expect(xiamen.headers.get("set-cookie")).toMatch(/vbp_province=35/);
    expect(await xiamen.text()).toContain('<option value="35" selected="">福建省</option>');
    // others one click away: every province and state, the remembered province kept
    const everything = await world.app.request(`/products/${id}?all=1`, { headers: { cookie: "vbp_province=33" } });
    expect(everything.headers.get("set-cookie")).toBeNull();
    const text = await everything.text();
    expect(text).toContain("浙江对照药业");
    expect(text).toContain("江苏对照药业");

    // the price check: the hospital in 江苏 is offered 江苏's in-force price, one in 浙江 is not
    const list = "通用名,剂型,规格,生产企业,进价,数量\n页面续约片,片剂,10mg,某未中选药厂,1.20,10\n";
    const check = async (province: string) => {
      const form = new FormData();
      form.append("province", province);
      form.append("file", new File([list], "list.csv", { type: "text/csv" }));
      const res = await world.app.request("/price-check", { method: "POST", body: form });
      return { text: await res.text(), cookie: res.headers.get("set-cookie") ?? "" };
    };
    const jiangsu = await check("32");
    expect(jiangsu.cookie).toMatch(/vbp_province=32/);
    expect(jiangsu.text).toContain("江苏对照药业");
    expect(jiangsu.text).toContain("对照供应江苏省的");
    const zj = await check("33");
    expect(zj.text).not.toContain("江苏对照药业");
    expect(zj.text).toContain("续约药业");
    // the form comes back with the hospital's province chosen
    expect((await html("/price-check", "vbp_province=32")).text).toContain('<option value="32" selected="">江苏省</option>');
  });

  it("a product page shows both reductions, each labelled with its baseline, as the API computes them", async () => {
    // A real batch 3 price carries both the ceiling and the pre-procurement price.
    const found = (await okJson(api.prices.$get({ query: { batch: "national-drug-3", limit: "200", include: "ended" } }))).data;
    const both = found.find((p) => p.baselines.length === 2);
    expect(both).toBeDefined();
    const page = await html(`/products/${both!.product.id}?all=1`);
    const ceiling = both!.baselines.find((b) => b.kind === "ceiling")!;
    const preVbp = both!.baselines.find((b) => b.kind === "pre_vbp")!;
    expect(page.text).toMatch(new RegExp(`降幅对最高申报价</div><div class="v" id="discount-ceiling"><span class="good">${ceiling.discountPct!.toFixed(2)} %`));
    expect(page.text).toMatch(new RegExp(`降幅对集采前价</div><div class="v" id="discount-pre-vbp"><span class="good">${preVbp.discountPct!.toFixed(2)} %`));
    expect(page.text).toContain(`最高有效申报价 ${price(ceiling.price)} 元`);
    expect(page.text).toContain(`集采前价格 ${price(preVbp.price)} 元`);
    // the search row of its group carries both, labelled in the column headings
    const search = await html(`/?batch=national-drug-3&include=ended`);
    expect(search.text).toContain("降幅对最高申报价");
    expect(search.text).toContain("降幅对集采前价");
  });

  it("the product page shows the renewal chain: each cycle, its price, the change and its state", async () => {
    const id = await productId("PGR0001");
    const page = await html(`/products/${id}?all=1`);
    const chain = page.text.slice(page.text.indexOf('id="renewal-chain"'));
    expect(chain).toContain("续约链");
    const steps = [...chain.matchAll(/<li><span class="step">([^<]+)<\/span><a [^>]+>([^<]+)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(steps).toEqual(["首次中选 页面测试批次", "第 1 次续约 页面测试批次接续采购", "第 2 次续约 页面测试批次第二次接续"]);
    expect(chain).toContain("续约价 −2.00 元，−20.00 %");
    expect(chain).toContain("续约价 +1.00 元，+12.50 %");
    expect(tags(chain.slice(0, chain.indexOf("</ol>")))).toEqual(["已到期", "已到期", "执行中"]);
    // the headline price is the one in force, not the newest by date alone
    expect(page.text).toContain("执行中的中选价格");
  });
});
