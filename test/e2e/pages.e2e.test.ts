import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { twoSheetWorkbook } from "../support/two-sheet-workbook";
import { screenshot, VIEWPORTS } from "./support/browser";
import { layoutProblems, seriousAxeViolations } from "./support/layout";
import { E2E_ADMIN_TOKEN } from "./support/server";
import { useBrowserSession } from "./support/session";

/*
 * The pharmacist's pages in a real browser (Debian's chromium through playwright-core) against
 * the real Node server, at phone (390 px) and desktop (1280 px) width. Every test fails on any
 * console error, uncaught exception or failed request; the layout rules (support/layout.ts) and
 * axe's serious violations are checked on every page at both widths.
 */
const WIDTHS = Object.entries(VIEWPORTS) as Array<["phone" | "desktop", { width: number; height: number }]>;

type ApiPrice = {
  unitPrice: number;
  synthetic: boolean;
  cycleStart: string | null;
  cycleEnd: string | null;
  product: { id: number; genericName: string; dosageForm: string | null; spec: string | null };
};

describe("pages in a browser", () => {
  const e2e = useBrowserSession();
  const open = e2e.open;

  const api = async <T = any>(path: string): Promise<T> => (await fetch(e2e.url + path)).json() as Promise<T>;

  /** The layout rules and axe on the page as it is now; a screenshot named for the width. */
  async function checkLayout(page: Page, name: string, size: string) {
    await screenshot(page, `${name}-${size}`);
    expect(await layoutProblems(page), `${name} at ${size} width: layout`).toEqual([]);
    expect(await seriousAxeViolations(page), `${name} at ${size} width: axe`).toEqual([]);
  }

  for (const [size, viewport] of WIDTHS) {
    // Finding 阿托伐他汀钙片 in 浙江 by atfttgp in two actions: search-stems.e2e.test.ts.

    it(`[${size}] expands a group in place to its firms and packages`, async () => {
      const page = await open(`/?q=${encodeURIComponent("阿托伐他汀钙片")}&include=ended&synthetic=1`, viewport);
      const group = page
        .locator("details.group")
        .filter({ has: page.locator(".g-spec", { hasText: "mg" }) })
        .first();
      await group.locator("summary").click();
      await expect(group.getAttribute("open")).resolves.toBe("");
      const items = group.locator(".group-items tbody tr");
      expect(await items.count()).toBeGreaterThan(0);
      const first = items.first();
      const spec = (await group.locator(".g-spec").innerText()).replace("规格", "").trim();
      if (size === "phone") {
        // the card's title is strength · package · firm, and its unit price is the largest figure on it
        const title = await first.locator(".lead-cell a").innerText();
        expect(title.split(" · ")[0]).toBe(spec);
        expect(title.split(" · ").length).toBe(3);
        const priceSize = await first.locator(".unit-price .big").evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
        const titleSize = await first.locator(".lead-cell a").evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
        expect(priceSize).toBeGreaterThan(titleSize);
      } else {
        await expect(group.locator(".group-items thead").innerText()).resolves.toContain("企业");
      }
      // cheapest first within the group
      const prices = (await group.locator(".group-items tbody .unit-price .big").allInnerTexts()).map(Number);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
      await checkLayout(page, "search-expanded", size);
    });

    it(`[${size}] pages through results by number and says "您要找的是不是" on a typo`, async () => {
      const page = await open("/?include=ended&synthetic=1", viewport);
      const pager = page.getByRole("navigation", { name: "翻页" });
      await expect(pager.getByRole("link", { name: "第 2 页" }).count()).resolves.toBe(1);
      const firstPage = await page.locator("details.group .g-name").allInnerTexts();
      await Promise.all([page.waitForURL(/n=2/), pager.getByRole("link", { name: "第 2 页" }).click()]);
      await expect(pager.locator("[aria-current=page]").innerText()).resolves.toContain("2");
      const secondPage = await page.locator("details.group .g-name").allInnerTexts();
      expect(secondPage.length).toBeGreaterThan(0);
      expect(secondPage.some((n) => firstPage.includes(n) && false)).toBe(false);
      await checkLayout(page, "search-page-2", size);

      await page.goto(`${e2e.url}/?q=${encodeURIComponent("阿托发他汀")}`);
      const hint = page.locator(".empty-result");
      await expect(hint.innerText()).resolves.toContain("您要找的是不是");
      await Promise.all([page.waitForURL(/q=%E9%98%BF%E6%89%98%E4%BC%90/), hint.getByRole("link", { name: "阿托伐他汀钙片" }).click()]);
      await expect(page.locator("details.group .g-name", { hasText: "阿托伐他汀钙片" }).count()).resolves.toBeGreaterThan(0);
      await checkLayout(page, "search-did-you-mean", size);
    });

    it(`[${size}] folds the filters behind one button and marks synthetic rows once`, async () => {
      const page = await open("/", viewport);
      const fold = page.locator(".filter-fold");
      await expect(page.getByLabel("剂型").isVisible()).resolves.toBe(false);
      await fold.locator("summary").click();
      await expect(page.getByLabel("剂型").isVisible()).resolves.toBe(true);
      await expect(page.locator(".synthetic-note").count()).resolves.toBe(0);
      await page.getByLabel("包含合成数据").check();
      await page.getByLabel("包含已到期和未开始的价格").check();
      await Promise.all([page.waitForURL(/synthetic=1/), page.getByRole("button", { name: "应用筛选" }).click()]);
      await expect(page.locator(".synthetic-note").count()).resolves.toBe(1);
      await expect(page.locator("text=合成演示数据").count()).resolves.toBe(1);
      await checkLayout(page, "search-synthetic", size);
    });
  }

  it("[desktop] fits 20 result groups in two screens", async () => {
    const page = await open("/?include=ended&synthetic=1", VIEWPORTS.desktop);
    const rows = page.locator("details.group > summary");
    await expect(rows.count()).resolves.toBe(20);
    const bottom = await rows.nth(19).evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
    expect(bottom).toBeLessThanOrEqual(2 * VIEWPORTS.desktop.height);
    // one line per row: no firm or batch name wraps a row to several lines
    const heights = await rows.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(48);
  });

  it("type atfttgp, pick 阿托伐他汀钙片 from the type-ahead, and see its group", async () => {
    const page = await open("/");
    const box = page.getByRole("combobox", { name: "药品或耗材" });
    await box.click();
    await box.pressSequentially("atfttgp", { delay: 30 });
    const option = page.getByRole("option", { name: /阿托伐他汀钙片/ }).first();
    await option.waitFor();
    await screenshot(page, "typeahead-desktop");
    await Promise.all([page.waitForURL(/\?q=/), option.click()]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("阿托伐他汀钙片");
    await expect(box.inputValue()).resolves.toBe("阿托伐他汀钙片");
    await expect(page.locator("details.group .g-name", { hasText: "阿托伐他汀钙片" }).count()).resolves.toBe(1);
  });

  it("searches with the keyboard alone: type, arrow down, enter, open the group, open the product", async () => {
    const page = await open("/");
    for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.id)) !== "q"; i++) await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("q");
    await page.keyboard.type("atfttgp", { delay: 30 });
    await page
      .getByRole("option", { name: /阿托伐他汀钙片/ })
      .first()
      .waitFor();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("combobox", { name: "药品或耗材" }).getAttribute("aria-activedescendant")).resolves.toBe("q-option-0");
    await Promise.all([page.waitForURL(/\?q=/), page.keyboard.press("Enter")]);
    const summary = page.locator("details.group > summary").first();
    for (let i = 0; i < 30 && !(await summary.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const link = page.locator("details.group[open] .group-items a[href^='/products/']").first();
    for (let i = 0; i < 10 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await Promise.all([page.waitForURL(/\/products\/\d+$/), page.keyboard.press("Enter")]);
    await expect(page.locator("#discount-pre-vbp").innerText()).resolves.toBe("97.70 %");
  });

  for (const [size, viewport] of WIDTHS) {
    it(`[${size}] product page: 比本品高/低 with the difference, cheapest headline, monthly cost for a dose`, async () => {
      // The demo group (name, form, strength) with the most firms.
      const all: ApiPrice[] = [];
      for (let cursor: string | null = "", n = 0; cursor !== null && n < 10; n++) {
        const page: { data: ApiPrice[]; meta: { nextCursor: string | null } } = await api(`/api/v1/prices?limit=200${cursor ? `&cursor=${cursor}` : ""}`);
        all.push(...page.data);
        cursor = page.meta.nextCursor;
      }
      const byGroup = new Map<string, ApiPrice[]>();
      for (const p of all.filter((x) => x.synthetic)) {
        const key = `${p.product.genericName}|${p.product.dosageForm}|${p.product.spec}`;
        byGroup.set(key, [...(byGroup.get(key) ?? []), p]);
      }
      const firms = (prices: ApiPrice[]) => new Set(prices.map((p) => p.product.id)).size;
      const group = [...byGroup.values()].sort((a, b) => firms(b) - firms(a))[0]!;
      expect(firms(group)).toBeGreaterThan(1);
      const priciest = group.reduce((a, b) => (b.unitPrice > a.unitPrice ? b : a));
      const page = await open(`/products/${priciest.product.id}?all=1`, viewport);
      const cells = await page.locator("#alternatives tbody td[data-label='与本品比']").allInnerTexts();
      expect(cells.length).toBeGreaterThan(0);
      for (const c of cells) expect(c).toMatch(/^(比本品低 \d+\.\d{2,4}|比本品高 \d+\.\d{2,4}|与本品相同)$/);
      await expect(page.locator("body").innerText()).resolves.not.toContain("贵 ");
      // 每月药费 at twice the units a day shown (the defined daily dose, or 1) is twice the figure
      const once = Number((await page.locator("#monthly-cost").innerText()).replace(/[^\d.]/g, ""));
      const doubled = String(2 * Number(await page.getByLabel(/每天用量/).inputValue()));
      await page.getByLabel(/每天用量/).fill(doubled);
      await Promise.all([page.waitForURL(new RegExp(`perDay=${doubled}\\b`)), page.getByRole("button", { name: "计算每月药费" }).click()]);
      const twice = Number((await page.locator("#monthly-cost").innerText()).replace(/[^\d.]/g, ""));
      expect(twice).toBeCloseTo(once * 2, 1);
      await checkLayout(page, "product-alternatives", size);

      const cheapest = group.reduce((a, b) => (b.unitPrice < a.unitPrice ? b : a));
      await page.goto(`${e2e.url}/products/${cheapest.product.id}?all=1`);
      await expect(page.locator("#cheapest").innerText()).resolves.toContain("单价最低");
      await checkLayout(page, "product-cheapest", size);
    });

    it(`[${size}] product page: one price is a figure, not a chart; devices have no 每月药费`, async () => {
      const page = await open(`/?q=${encodeURIComponent("冠脉支架")}`, viewport);
      await page.locator("details.group > summary").first().click();
      await Promise.all([page.waitForURL(/\/products\/\d+$/), page.locator("details.group[open] .group-items a[href^='/products/']").first().click()]);
      await expect(page.locator("figure.single-point").innerText()).resolves.toContain("700.00 元");
      await expect(page.locator("#history-chart svg").count()).resolves.toBe(0);
      await expect(page.locator("#monthly-cost").count()).resolves.toBe(0);
      await checkLayout(page, "product-single-point", size);
    });

    it(`[${size}] batch page: reductions from small to large over non-empty bands, a plain note on baselines`, async () => {
      const page = await open("/batches/synthetic-drug-3", viewport);
      const labels = await page.locator("#reductions-chart-desc").textContent();
      const bands = (labels ?? "")
        .split("；")
        .map((b) => /^(-?\d+)–/.exec(b)?.[1])
        .filter(Boolean)
        .map(Number);
      expect(bands.length).toBeGreaterThan(1);
      expect(bands).toEqual([...bands].sort((a, b) => a - b));
      expect(labels).not.toMatch(/：0 个/);
      const note = page.locator("#baseline-note");
      await expect(note.getAttribute("role")).resolves.toBe("note");
      await expect(note.innerText()).resolves.toContain("最高有效申报价");
      await expect(page.locator(".alert").count()).resolves.toBe(0);
      await checkLayout(page, "batch", size);

      // a real batch with its losing bids: bidders, chosen, lowest and highest bid per group
      await page.goto(`${e2e.url}/batches/national-drug-4`);
      const landscape = (await api(`/api/v1/batches/national-drug-4`)).data.bidLandscape;
      await expect(page.locator("#bid-firms").innerText()).resolves.toBe(`${landscape.firms} 家`);
      const rows = page.locator("#bids tbody tr");
      await expect(rows.count()).resolves.toBe(Math.min(40, landscape.items.length));
      const low = await rows.first().locator("td[data-label='最低报价']").innerText();
      expect(Number(low)).toBeCloseTo(landscape.items[0].lowestBid, 4);
      await checkLayout(page, "batch-bids", size);
    }, 120_000);

    it(`[${size}] savings in 乌海市: one money unit per view, empty rows folded`, async () => {
      const page = await open("/savings", viewport);
      await page.getByLabel("地区（含下级）").selectOption("150300");
      await Promise.all([page.waitForURL(/region=150300/), page.getByRole("button", { name: "统计" }).click()]);
      // 114 stents bought over the year at 13000 → 700: 1,402,200 saved; 72.8 % of it by the fund
      const figures = await page.locator(".keyfigures").innerText();
      expect(figures).toContain("140.22 万元");
      expect(figures).toContain("102.08 万元");
      expect(figures).toContain("72.80 %");
      await expect(page.locator("#unit-note").innerText()).resolves.toContain("万元");
      await expect(page.locator("#savings-month-table caption").innerText()).resolves.toContain("金额单位：万元");
      // every bar of a chart is in the same unit
      const values = await page
        .getByRole("img", { name: /按月份/ })
        .locator("text.value")
        .allTextContents();
      expect(values.length).toBe(24);
      expect(new Set(values.map((v) => v.replace(/[\d.,\s]/g, "")))).toEqual(new Set(["万元"]));
      await expect(page.locator("#savings-month-table tbody tr").count()).resolves.toBe(12);
      await checkLayout(page, "savings-wuhai", size);
    });
  }

  it("savings: the projection names its period and 采购金额 reads 未提供 when the file gave none", async () => {
    const page = await open("/savings?from=2021-07&to=2021-12");
    const projection = page.locator(".keyfigure", { hasText: "按约定量预计节约" });
    await expect(projection.innerText()).resolves.toContain("不受月份筛选影响");
    await expect(projection.innerText()).resolves.toContain("约定采购周期");
    await expect(page.locator(".folded-rows").first().innerText()).resolves.toMatch(/另有 \d+ 个地区/);
    const regionRows = await page.locator("#savings-region-table tbody tr").count();
    expect(regionRows).toBeLessThan(31);
  });

  it("checks a purchase list: problem lines first, each with its reason, and the result as CSV", async () => {
    const newestPrice = async (code: string) => {
      const found = await api(`/api/v1/prices?q=${code}&limit=1`);
      const product = await api(`/api/v1/products/${found.data[0].product.id}`);
      // The price to pay is the one in force today, not necessarily the newest (its cycle may have ended).
      const history = product.data.history.filter((h: { state: string }) => h.state === "in_force");
      return history[history.length - 1].chosenPrice as number;
    };
    const atPrice = await newestPrice("SYND0000000006");
    const abovePrice = (await newestPrice("SYND0000000007")) + 1;
    const csv =
      "医保编码,通用名,剂型,规格,生产企业,进价,数量\n" +
      `SYND0000000006,,,,,${atPrice},20\n` +
      `SYND0000000007,,,,,${abovePrice},10\n` +
      ",厄贝沙坦片,片剂,300mg,演示未中选药厂,6.00,50\n" +
      ",不存在的药品,片剂,1g,演示药厂,1.00,5\n";
    const page = await open("/price-check");
    await page.getByLabel("采购清单（Excel 或 CSV）").setInputFiles({ name: "purchase-list.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await Promise.all([page.waitForURL(/\/price-check$/), page.getByRole("button", { name: "比价" }).click()]);
    const verdicts = await page.locator("#check-lines tbody tr td[data-label='判定']").allInnerTexts();
    expect(verdicts.map((v) => v.split("\n")[0])).toEqual(["高于中选价", "非中选，有中选替代", "无对应中选产品", "按中选价"]);
    expect(verdicts[0]).toContain("按医保编码匹配");
    expect(verdicts[0]).toContain("每单位比中选价高");
    expect(verdicts[1]).toContain("演示未中选药厂 的这个产品不是中选产品");
    expect(verdicts[2]).toContain("没有“不存在的药品 1g”的中选产品");
    expect(verdicts[3]).toContain("按医保编码匹配");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#result-csv").click()]);
    const { readFile } = await import("node:fs/promises");
    const text = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toContain("判定,原因");
    expect(lines.slice(1).map((l) => l.split(",")[5])).toEqual(["高于中选价", "非中选，有中选替代", "无对应中选产品", "按中选价"]);
    // the same result as an Excel workbook, figures as numbers
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.locator("#result-xlsx").click()]);
    expect(xlsx.suggestedFilename()).toBe("比价结果.xlsx");
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    const file = await readFile((await xlsx.path())!);
    await book.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    const sheet = book.getWorksheet("比价结果")!;
    expect(sheet.getRow(1).getCell(7).value).toBe("原因");
    expect([2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(6).value)).toEqual(["高于中选价", "非中选，有中选替代", "无对应中选产品", "按中选价"]);
    expect(sheet.getRow(2).getCell(13).value).toBe(10); // 多付（元）, a number
    const figures = await page.locator(".keyfigures").innerText();
    expect(figures).toContain("多付合计 10.00 元"); // 1 yuan too much per package × 10 packages
    for (const [size, viewport] of WIDTHS) {
      await page.setViewportSize(viewport);
      await checkLayout(page, "price-check-result", size);
    }
  });

  for (const [size, viewport] of WIDTHS) {
    it(`[${size}] price check for a hospital's province: the 4+7 pilot's atorvastatin is a chosen price in 广东, not in 浙江`, async () => {
      // Real seeds: 北京嘉林's atorvastatin 20mg was chosen in the 4+7 pilot, whose eleven cities include 广州 and 深圳 but none in 浙江.
      const csv = "通用名,剂型,规格,生产企业,进价,数量\n阿托伐他汀,口服常释片剂,20mg,北京嘉林,6.60,10\n";
      const verdictIn = async (province: string) => {
        const page = await open("/price-check", viewport);
        await page.getByLabel("医院所在省份（会记住）").selectOption({ label: province });
        await page.getByLabel("采购清单（Excel 或 CSV）").setInputFiles({ name: "purchase-list.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
        await Promise.all([page.waitForURL(/\/price-check$/), page.getByRole("button", { name: "比价" }).click()]);
        await expect(page.locator("#check-result").innerText()).resolves.toContain(`供应${province}的`);
        await checkLayout(page, `price-check-${province === "广东省" ? "guangdong" : "zhejiang"}`, size);
        return (await page.locator("#check-lines tbody tr td[data-label='判定']").innerText()).split("\n")[0];
      };
      const guangdong = await verdictIn("广东省");
      const zhejiang = await verdictIn("浙江省");
      expect(guangdong).toBe("按中选价"); // 6.60 for 20mg*7: 0.9429 a tablet, the chosen price
      expect(zhejiang).toBe("无对应中选产品"); // the expansion chose only 10mg atorvastatin for 浙江
    }, 120_000);
  }

  it("signs in once per browser session, uploads a bad file on the import page and reads the row error", async () => {
    const page = await open("/import");
    await page.getByLabel("管理令牌").fill(E2E_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/import$/), page.getByRole("button", { name: "登录" }).click()]);
    const [session] = (await page.context().cookies()).filter((c) => c.name === "vbp_import_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/import", expires: -1 });
    expect(await page.evaluate(() => document.cookie)).not.toContain("vbp_import_session");
    expect(await page.content()).not.toContain(E2E_ADMIN_TOKEN);
    await page.getByLabel("文件类型").selectOption("prices");
    const csv =
      "批次,药品通用名,剂型,规格,包装,中选企业,中选价格,最高有效申报价\n" +
      "national-drug-4,阿托伐他汀钙片,片剂,20mg,7片/盒,演示制药,3.5,10\n" +
      "national-drug-4,瑞舒伐他汀钙片,片剂,10mg,7片/盒,演示制药,三块五,10\n";
    await page.getByLabel("CSV 或 Excel 文件").setInputFiles({ name: "bad-prices.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await Promise.all([page.waitForURL(/\/import$/), page.getByRole("button", { name: "上传" }).click()]);
    await expect(page.getByRole("alert").first().innerText()).resolves.toContain("文件被拒绝");
    const errorRow = page.locator("#import-errors tbody tr").first();
    const cells = await errorRow.locator("td").allInnerTexts();
    expect(cells[0]).toBe("第 3 行");
    expect(cells[1]).toBe("中选价格");
    expect(cells[2]).toContain("三块五");
    // still signed in on the next visit of this browser session, and the token is in no page
    await page.goto(`${e2e.url}/import`);
    await expect(page.getByText("已用管理令牌登录").count()).resolves.toBe(1);
    expect(await page.content()).not.toContain(E2E_ADMIN_TOKEN);
    for (const [size, viewport] of WIDTHS) {
      await page.setViewportSize(viewport);
      await checkLayout(page, "import-report", size);
    }
    // a clean dry run previews what would be added, updated and left unchanged, with sample rows
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.getByLabel("文件类型").selectOption("prices");
    await page
      .getByLabel("CSV 或 Excel 文件")
      .setInputFiles({ name: "good-prices.csv", mimeType: "text/csv", buffer: Buffer.from(`${csv.split("\n").slice(0, 2).join("\n")}\n`) });
    await Promise.all([page.waitForURL(/\/import$/), page.getByRole("button", { name: "上传" }).click()]);
    await expect(page.locator("#preview-added").innerText()).resolves.toBe("1 行");
    await expect(page.locator("#preview-added-rows tbody tr").first().innerText()).resolves.toContain("阿托伐他汀钙片 20mg 演示制药");
    for (const [size, viewport] of WIDTHS) {
      await page.setViewportSize(viewport);
      await checkLayout(page, "import-preview", size);
    }
  }, 120_000);

  it("imports an .xlsx workbook by its sheet name, and maps a column it did not recognise with the column picker", async () => {
    // A price column the importer does not know, for the column picker.
    const xlsx = Buffer.from(await twoSheetWorkbook({ priceHeader: "成交价（元）" }));

    const page = await open("/import");
    await page.getByLabel("管理令牌").fill(E2E_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/import$/), page.getByRole("button", { name: "登录" }).click()]);
    await page.getByLabel("文件类型").selectOption("prices");
    await page.getByLabel("工作表（可选）").fill("第四批中选结果");
    await page.getByLabel("CSV 或 Excel 文件").setInputFiles({
      name: "第四批.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: xlsx,
    });
    await Promise.all([page.waitForURL(/\/import$/), page.getByRole("button", { name: "上传" }).click()]);
    // The report names the sheet it read; 成交价（元） is not a header it knows, so the picker offers it.
    await expect(page.locator("main").innerText()).resolves.toContain("Excel 工作簿，工作表“第四批中选结果”");
    const picker = page.locator("#column-picker");
    await expect(picker.count()).resolves.toBe(1);
    await expect(picker.getByLabel("成交价（元）").inputValue()).resolves.toBe("");
    for (const [size, viewport] of WIDTHS) {
      await page.setViewportSize(viewport);
      await checkLayout(page, "import-column-picker", size);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
    await picker.getByLabel("成交价（元）").selectOption("chosenPrice");
    await Promise.all([page.waitForURL(/\/import$/), picker.getByRole("button", { name: "按这些列重新检查" }).click()]);
    await expect(page.locator("#preview-added").innerText()).resolves.toBe("1 行");
    await expect(page.locator("#preview-added-rows tbody tr").first().innerText()).resolves.toContain("阿托伐他汀钙片 40mg 演示制药");
    // The full-precision float 70/3 is rounded to 4 places, never rejected, and the report says so.
    await expect(page.locator("main").innerText()).resolves.toContain("23.3333");
    // The report with its example rows, cards on a phone: their caption spans the cards' width
    // (it was squeezed into a column of one or two characters a line).
    for (const [size, viewport] of WIDTHS) {
      await page.setViewportSize(viewport);
      await checkLayout(page, "import-preview", size);
      const widths = await page
        .locator("#preview-added-rows")
        .evaluate((t) => ({ table: t.getBoundingClientRect().width, caption: (t.querySelector("caption") as HTMLElement).getBoundingClientRect().width }));
      expect(widths.caption, `the examples' caption at ${size} width`).toBeGreaterThan(widths.table * 0.9);
    }
  }, 120_000);

  for (const [size, viewport] of WIDTHS) {
    it(`[${size}] serves the interactive API reference from this server alone, in Chinese, with no request leaving it`, async () => {
      const page = await e2e.watch(viewport);
      const outside: string[] = [];
      await page.route("**/*", (route) => {
        if (new URL(route.request().url()).origin === e2e.url) return route.continue();
        outside.push(route.request().url());
        return route.abort("internetdisconnected");
      });
      await page.goto(`${e2e.url}/docs`);
      // Scalar replaces the server-rendered reference once its script (from /ui/vendor/) has run.
      await page.locator("#docs-status").waitFor({ state: "detached", timeout: 20_000 });
      // the viewer in Chinese (its own labels and the document's), interactive: its API client opens
      await page.getByText("下载 OpenAPI 文档").first().waitFor({ timeout: 20_000 });
      await expect(page.getByText("中选价格 prices").count()).resolves.toBeGreaterThan(0);
      await expect(page.locator("body").innerText()).resolves.toContain("集中带量采购（集采）中选价格、降幅与医保基金节约的接口");
      expect(outside).toEqual([]);
      const scripts = await page.locator("script[src]").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
      for (const src of scripts) expect(new URL(src).origin).toBe(e2e.url);
      await screenshot(page, `docs-${size}`);
    });
  }

  it("without JavaScript, /docs is the whole reference in Chinese headings, rendered on the server", async () => {
    const res = await fetch(`${e2e.url}/docs`);
    const text = await res.text();
    expect(res.headers.get("content-security-policy")).not.toMatch(/jsdelivr|https:/);
    expect(text).toContain("<h2>中选价格 prices</h2>");
    expect(text).toContain("中文名、拼音码、英文名、企业名或编码");
    expect(text).toMatch(/<code>minDiscount<\/code>/);
    const doc = await (await fetch(`${e2e.url}/docs/openapi.json`)).json();
    expect(JSON.stringify(doc)).toContain("最小降幅（%）");
    // the contract itself is unchanged
    const contract = await (await fetch(`${e2e.url}/openapi.json`)).json();
    expect(JSON.stringify(contract)).not.toContain("最小降幅（%）");
  });

  it("every page at phone and desktop width: no overlap, no one-character lines, no sideways scroll, aligned figures, no serious axe violation", async () => {
    const pages: Array<[string, string]> = [
      ["search", "/"],
      ["search-results", `/?q=${encodeURIComponent("阿托伐他汀钙片")}&include=ended&synthetic=1`],
      ["batches", "/batches"],
      ["batch", "/batches/national-drug-1"],
      ["batch-bids", "/batches/national-drug-4"],
      ["batch-synthetic", "/batches/synthetic-drug-3"],
      ["savings", "/savings"],
      ["price-check", "/price-check"],
      ["import", "/import"],
      ["not-found", "/products/999999"],
    ];
    const found = await api<{ data: ApiPrice[] }>(`/api/v1/prices?q=${encodeURIComponent("阿托伐他汀钙片")}&limit=200`);
    const real = found.data.find((p) => !p.synthetic);
    const withHistory = found.data.find((p) => p.synthetic);
    pages.push(["product", `/products/${real?.product.id}`], ["product-with-history", `/products/${withHistory?.product.id}`]);
    for (const [name, path] of pages) {
      for (const [size, viewport] of WIDTHS) {
        const page = await open(path, viewport);
        await checkLayout(page, name, size);
        const problems = e2e.takeProblems();
        // The 404 page answers 404 by design; nothing else may fail.
        expect(
          problems.filter((p) => !(name === "not-found" && p.includes("404"))),
          `${path} at ${size} width`,
        ).toEqual([]);
      }
    }
  }, 240_000);
});
