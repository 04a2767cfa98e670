import { describe, expect, it } from "vitest";
import { loadSearchKeys } from "../../src/domain/search-keys";
import { okJson } from "../support/client";
import { type Api, apiClients, useTestWorld } from "../support/world";

const searchKeys = await loadSearchKeys();

/**
 * What a pharmacist types is the name on the box (阿托伐他汀钙片) or its 拼音码 (atfttgp); the
 * national tables the real seeds come from (seeds/prices-national.csv) name the drug without its
 * salt and form (阿托伐他汀, 口服常释剂型). Such a query also finds the shorter name, in the forms
 * its form word belongs to (src/domain/search-stem.ts).
 */
const world = useTestWorld();
const { api } = apiClients(world);

type PricesQuery = Parameters<Api["prices"]["$get"]>[0]["query"];
async function search(query: PricesQuery) {
  const qs = JSON.stringify(query);
  const body = await okJson(api.prices.$get({ query: { ...query, limit: "200" } }));
  expect(body.meta.total, qs).toBe(body.data.length);
  return { items: body.data, total: body.meta.total, didYouMean: body.meta.didYouMean };
}
type Item = Awaited<ReturnType<typeof search>>["items"][number];
const q = (text: string) => ({ q: text });
const ZJ = { province: "浙江" };
const ids = (xs: Item[]) => xs.map((x) => x.id).sort((a, b) => a - b);

describe("a name typed with its salt and form, on the real seeds", () => {
  for (const typed of ["atfttgp", "阿托伐他汀钙片"]) {
    it(`${typed} in 浙江 finds the 阿托伐他汀 prices a hospital in 浙江 can buy, the expansion's cheapest among them`, async () => {
      const plain = await search({ ...q("阿托伐他汀"), ...ZJ });
      const found = await search({ ...q(typed), ...ZJ });
      // Every atorvastatin in the tables is a tablet (口服常释剂型 / 口服常释片剂): the same prices as the plain name.
      expect(found.total).toBeGreaterThan(0);
      expect(ids(found.items)).toEqual(ids(plain.items));
      for (const x of found.items) {
        expect(x.product.genericName).toBe("阿托伐他汀");
        expect(x.supplyRegions.length === 0 || x.supplyRegions.some((r) => r.code.startsWith("33"))).toBe(true);
      }
      const qilu = found.items.find((x) => x.batch.id === "national-drug-1-expansion");
      expect(qilu).toMatchObject({ unitPrice: 0.12, product: { manufacturer: "齐鲁制药（海南）有限公司", dosageForm: "口服常释剂型" } });
      expect(Math.min(...found.items.map((x) => x.unitPrice))).toBe(0.12);
      // Everywhere, the article's 阿托伐他汀钙片 (大同市) is still found as typed, beside the tables' 阿托伐他汀.
      const everywhere = await search({ ...q(typed), include: "ended" });
      expect(new Set(everywhere.items.map((x) => x.product.genericName))).toEqual(new Set(["阿托伐他汀钙片", "阿托伐他汀"]));
    });
  }

  it("the form word keeps the forms it belongs to: 二甲双胍缓释片 the 缓释控释剂型, 二甲双胍片 the 口服常释剂型", async () => {
    const forms = async (typed: string) =>
      new Set((await search({ ...q(typed), include: "ended" })).items.map((x) => `${x.product.genericName} ${x.product.dosageForm}`));
    expect(await forms("二甲双胍")).toEqual(new Set(["二甲双胍 缓释控释剂型", "二甲双胍 口服常释剂型"]));
    expect(await forms("二甲双胍缓释片")).toEqual(new Set(["二甲双胍 缓释控释剂型"]));
    expect(await forms("ejsghsp")).toEqual(new Set(["二甲双胍 缓释控释剂型"]));
    expect(await forms("二甲双胍片")).toEqual(new Set(["二甲双胍 口服常释剂型"]));
    expect(await forms("ejsgp")).toEqual(new Set(["二甲双胍 口服常释剂型"]));
    // A form the tables never give the drug in finds none of its prices.
    expect((await search({ ...q("阿托伐他汀注射液"), include: "ended" })).total).toBe(0);
    // 胶囊 is one of the 口服常释剂型; a salt alone (氯沙坦钾 → 氯沙坦) keeps every form.
    expect(await forms("阿莫西林胶囊")).toEqual(new Set(["阿莫西林 口服常释剂型"]));
    expect([...(await forms("氯沙坦钾"))].sort()).toEqual(["氯沙坦 口服常释剂型", "氯沙坦钾 口服常释片剂"]);
  });

  it("a form typed as a word of its own narrows the same way (二甲双胍 缓释片, 阿托伐他汀 片)", async () => {
    const forms = async (typed: string) =>
      new Set((await search({ ...q(typed), include: "ended" })).items.map((x) => `${x.product.genericName} ${x.product.dosageForm}`));
    expect(await forms("二甲双胍 缓释片")).toEqual(new Set(["二甲双胍 缓释控释剂型"]));
    expect(await forms("二甲双胍 片")).toEqual(new Set(["二甲双胍 口服常释剂型"]));
    expect(await forms("阿托伐他汀 片")).toEqual(new Set(["阿托伐他汀 口服常释剂型", "阿托伐他汀 口服常释片剂", "阿托伐他汀钙片 片剂"]));
    expect((await search({ ...q("阿托伐他汀 注射液"), include: "ended" })).total).toBe(0);
  });

  it("short codes do not start matching everything: what is left must be a whole name or 拼音码", async () => {
    // A form word alone, ltp (no drug), at+p (at is too short to name one), abc+p (abc is no 拼音码):
    // only the prices whose name, 拼音码, English name or firm hold what was typed, as before.
    for (const typed of ["ltp", "p", "jn", "gp", "zsy", "片", "钙片", "atp", "abcp", "sp"]) {
      const { items } = await search({ ...q(typed), include: "ended" });
      for (const x of items) {
        const keys = searchKeys(x.product.genericName);
        const held = [keys.nameNorm, keys.namePinyin, keys.nameInitials, JSON.stringify(x.product).toLowerCase()].some((k) => k.includes(typed));
        expect(held, `${typed}: ${x.product.genericName}`).toBe(true);
      }
    }
    expect((await search({ ...q("ltp"), include: "ended" })).total).toBe(0);
    // 布洛芬 (blf) comes as tablets, granules and sustained-release tablets; 布洛芬注射液 is a name of its own.
    const forms = async (typed: string) =>
      new Set((await search({ ...q(typed), include: "ended" })).items.map((x) => `${x.product.genericName} ${x.product.dosageForm ?? ""}`));
    expect(await forms("blfp")).toEqual(new Set(["布洛芬 口服常释剂型"]));
    expect(await forms("blfkl")).toEqual(new Set(["布洛芬 颗粒剂"]));
    expect(await forms("布洛芬缓释片")).toEqual(new Set(["布洛芬 缓释控释剂型"]));
    expect(await forms("布洛芬注射液")).toEqual(new Set(["布洛芬注射液 "]));
  });

  it("the type-ahead offers the shorter name for a name typed with its salt and form", async () => {
    const body = await okJson(api.suggest.$get({ query: { q: "atfttgp" } }));
    expect(body.data.map((d) => d.name)).toEqual(["阿托伐他汀钙片", "阿托伐他汀"]);
  });
});
