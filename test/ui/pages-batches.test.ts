import { describe, expect, it } from "vitest";
import { okJson } from "../support/client";
import { apiClients, useTestWorld } from "../support/world";

/*
 * The batch page on the real seeds (national batches 1-4 with their losing bids): the bid landscape
 * as the API answers it, the reductions from small to large over non-empty bands, and each mean
 * beside the published figure of the same baseline, explained in a plain note.
 */
describe("batch pages on the real seeds", () => {
  const world = useTestWorld();
  const { api } = apiClients(world);

  const html = async (path: string) => (await world.app.request(path)).text();
  const cell = (text: string, label: string) => new RegExp(`data-label="${label}">([^<]*)<`).exec(text)?.[1];

  it("shows the bid landscape of batch 4: bidders, chosen, lowest and highest bids, as the API answers", async () => {
    const body = await okJson(api.batches[":id"].$get({ param: { id: "national-drug-4" } }));
    const landscape = body.data.bidLandscape;
    expect(landscape.losing).toBeGreaterThan(0);
    const page = await html("/batches/national-drug-4");
    const bids = page.slice(page.indexOf('id="bids"'), page.indexOf("</section>", page.indexOf('id="bids"')));
    expect(bids).toContain("投标情况");
    expect(bids).toContain(`<div class="v" id="bid-firms">${landscape.firms} 家</div><div class="s">中选 ${landscape.chosenFirms} 家</div>`);
    expect(bids).toContain(`中选 ${landscape.chosen} 个，未中选 ${landscape.losing} 个`);
    // one row per generic name, form and strength, with its lowest and highest bid
    const first = landscape.items[0];
    if (first?.lowestBid == null || first.highestBid == null) throw new Error("batch 4's first bid group has no priced bid");
    expect(bids).toContain([first.genericName, first.dosageForm, first.spec].filter(Boolean).join(" "));
    expect(Number(cell(bids, "最低报价"))).toBeCloseTo(first.lowestBid, 4);
    expect(Number(cell(bids, "最高报价"))).toBeCloseTo(first.highestBid, 4);
    expect(cell(bids, "中选 / 未中选")).toBe(`${first.chosen} / ${first.losing}`);
  });

  it("puts each computed mean beside the published figure of its own baseline, in a plain note, not an alert", async () => {
    const page = await html("/batches/national-drug-1");
    const note = page.slice(page.indexOf('id="baseline-note"'), page.indexOf("</div>", page.indexOf('id="baseline-note"')));
    expect(page).toContain('<div class="plain-note" role="note" id="baseline-note">');
    expect(note).toContain("最高有效申报价");
    expect(note).toContain("集采前价格");
    expect(page).not.toMatch(/class="alert"/);
    // batch 1's published 52 % stands on the pre-procurement row, beside the mean against that baseline
    const prices = (await okJson(api.prices.$get({ query: { batch: "national-drug-1", include: "ended", limit: "200" } }))).data;
    const pre = prices.flatMap((p) => p.baselines.filter((b) => b.kind === "pre_vbp" && b.discountPct !== null).map((b) => b.discountPct!));
    expect(pre.length).toBeGreaterThan(0);
    const mean = pre.reduce((a, b) => a + b, 0) / pre.length;
    const row = /<th scope="row">平均降幅（对集采前价格）<\/th><td class="num">([\d.]+) %<\/td><td class="num">([^<]+)<\/td>/.exec(page);
    expect(row).not.toBeNull();
    expect(Number(row![1])).toBeCloseTo(mean, 1);
    expect(row![2]).toBe("52.00 %");
  });

  it("lists each batch's mean reductions per baseline, the published figure beside the pre-procurement one", async () => {
    const batches = (await okJson(api.batches.$get({ query: {} }))).data;
    const page = await html("/batches");
    const row = page.slice(page.indexOf("/batches/national-drug-3"), page.indexOf("</tr>", page.indexOf("/batches/national-drug-3")));
    const three = batches.find((b) => b.id === "national-drug-3")!;
    // batch 3 on the real seeds: 72 % against the ceilings, 54 % against prices before procurement, published 53 %
    expect(three.statistics.byBaseline.ceiling.meanDiscountPct).toBeGreaterThan(70);
    expect(row).toContain(`data-label="平均降幅·对最高有效申报价" class="num">${three.statistics.byBaseline.ceiling.meanDiscountPct!.toFixed(2)} %</td>`);
    expect(row).toContain(
      `data-label="平均降幅·对集采前价格" class="num">${three.statistics.byBaseline.pre_vbp.meanDiscountPct!.toFixed(2)} % <span class="note">/ 公布 53.00 %</span>`,
    );
    expect(Math.abs(three.statistics.byBaseline.pre_vbp.meanDiscountPct! - 53)).toBeLessThan(3);
  });

  it("orders the reductions from small to large over non-empty bands only, and lists an ended batch's products", async () => {
    const page = await html("/batches/national-drug-4");
    const bands = [...page.matchAll(/<title>(-?\d+)–\d+ %[^<]*：(\d+) 个<\/title>/g)].map((m) => ({ from: Number(m[1]), n: Number(m[2]) }));
    expect(bands.length).toBeGreaterThan(1);
    const froms = bands.map((b) => b.from);
    expect(froms).toEqual([...froms].sort((a, b) => a - b));
    expect(bands.every((b) => b.n > 0)).toBe(true);
    // the product list is the batch's record: every state, each row with its own
    expect(page).toMatch(/共 [1-9][\d,]* 条/);
    expect(page).toContain('data-label="状态"><span class="tag state');
  });
});
