import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { buildRealSeeds, NAMES_EN_FILE, REAL_SEEDS_FILE } from "../../src/cli/real-seeds";

describe("seeds/prices-national.csv is what the importer makes of the committed workbook", () => {
  it("rebuilds byte for byte from seeds/source/…xlsx, with the published counts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vbp-real-seeds-"));
    try {
      const { csv, counts } = await buildRealSeeds(`file:${join(dir, "build.db")}`);
      expect(counts.map((c) => [c.batch, c.prices, c.firms, c.bids])).toEqual([
        ["national-drug-1", 26, 16, 8],
        ["national-drug-1-expansion", 60, 46, 42],
        ["national-drug-2", 100, 78, 58],
        ["national-drug-3", 191, 130, 121],
        ["national-drug-4", 158, 118, 67],
      ]);
      expect(csv).toBe(readFileSync(REAL_SEEDS_FILE, "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("names its source cell on every row, and carries ceilings, medians, provinces, originator flags and short names", () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(REAL_SEEDS_FILE, "utf8"), { header: true, skipEmptyLines: true }).data;
    for (const r of rows) expect(r.source).toMatch(/^national-vbp-results-batches-1-4\.xlsx \(.*\), sheet \S+, row \d+$/);
    const anastrozole = rows.filter((r) => r.batch === "national-drug-3" && r.genericName === "阿那曲唑" && r.won === "true");
    expect(anastrozole).toHaveLength(4);
    expect(anastrozole[0]).toMatchObject({
      dosageForm: "口服常释剂型",
      spec: "1mg",
      manufacturer: "浙江海正药业股份有限公司",
      manufacturerShort: "浙江海正",
      originator: "false",
      chosenPrice: "0.9957",
      ceilingPrice: "8.8571",
      preVbpPrice: "7.89",
      supplyRegions: "北京市、天津市、上海市、浙江省、湖北省、湖南省、贵州省、甘肃省、青海省",
    });
    // Whole-yuan amounts keep their zeros: the workbook's 810, 2500 and 120 once became 81, 25 and 12.
    const cell = (batch: string, name: string, firm: string) => rows.find((r) => r.batch === batch && r.genericName === name && r.manufacturer === firm);
    expect(cell("national-drug-1", "培美曲塞二钠", "四川汇宇")?.chosenPrice).toBe("810");
    expect(cell("national-drug-4", "注射用比伐芦定", "齐鲁制药有限公司")).toMatchObject({ chosenPrice: "486", ceilingPrice: "2500", preVbpPrice: "2566.66" });
    expect(cell("national-drug-4", "布洛芬注射液", "杭州民生药业有限公司")).toMatchObject({ chosenPrice: "13.78", ceilingPrice: "57.6", preVbpPrice: "120" });
    const withBingtuan = rows.filter((r) => (r.supplyRegions ?? "").includes("新疆维吾尔自治区、新疆生产建设兵团"));
    expect(withBingtuan.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.originator === "true").length).toBeGreaterThan(0);
  });

  it("gives the expansion's ceilings per unit: its sheet's 最高限价 is the 4+7 price per 4+7 box", () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(REAL_SEEDS_FILE, "utf8"), { header: true, skipEmptyLines: true }).data;
    const expansion = rows.filter((r) => r.batch === "national-drug-1-expansion");
    const row = (name: string, firm: string) => expansion.find((r) => r.genericName === name && r.manufacturer === firm);
    // 帕罗西汀 20mg: the sheet's 33.4 is the pilot's box of 20 (盐酸帕罗西汀 20mg*20), 1.67 a tablet.
    expect(row("帕罗西汀", "浙江华海药业股份有限公司")).toMatchObject({ chosenPrice: "1.559", ceilingPrice: "1.67", preVbpPrice: "3.4" });
    // AstraZeneca bid the ceiling itself: 547 for 250mg*10 is 54.7 a tablet.
    expect(row("吉非替尼", "AstraZeneca AB（Kagamiishi Plant，Nipro Pharma Corporation）（阿斯利康制药有限公司分包装）")).toMatchObject({
      chosenPrice: "54.7",
      ceilingPrice: "54.7",
    });
    // 氟比洛芬酯 5ml:50mg is the pilot's 50mg/5ml*5 at 109.75.
    expect(row("氟比洛芬酯", "武汉大安制药有限公司")).toMatchObject({ chosenPrice: "21.95", ceilingPrice: "21.95" });
    // No per-unit ceiling is stated for another strength than the pilot's box (阿托伐他汀 10mg against
    // 20mg*7) or for a figure that is no box's price (头孢呋辛酯 6.16 against the box's 6.18).
    expect(row("阿托伐他汀", "乐普制药科技有限公司")).toMatchObject({ ceilingPrice: "", preVbpPrice: "2.6084" });
    for (const r of expansion.filter((x) => x.genericName?.startsWith("头孢呋辛酯"))) expect(r.ceilingPrice).toBe("");
    // Every ceiling left is a chosen price per tablet of the pilot, and caps every chosen bid under it.
    const pilotUnits = new Set(
      rows
        .filter((r) => r.batch === "national-drug-1" && r.won === "true" && r.packageQty)
        .map((r) => (Number(r.chosenPrice) / Number(r.packageQty)).toFixed(4)),
    );
    const ceilings = expansion.filter((r) => r.ceilingPrice !== "");
    expect(ceilings.length).toBe(85);
    for (const r of ceilings) {
      expect(pilotUnits, `${r.genericName} ${r.manufacturer}`).toContain(Number(r.ceilingPrice).toFixed(4));
      if (r.won === "true") expect(Number(r.chosenPrice), `${r.genericName} ${r.manufacturer}`).toBeLessThanOrEqual(Number(r.ceilingPrice));
    }
  });

  it("gives batch 1 and its expansion the English names of the 4+7 list, and no other batch an English name", () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(REAL_SEEDS_FILE, "utf8"), { header: true, skipEmptyLines: true }).data;
    const listed = Papa.parse<{ genericName: string; genericNameEn: string }>(readFileSync("test/fixtures/facts/national-batch1-names.csv", "utf8"), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const englishOf = new Map(listed.map((n) => [n.genericName, n.genericNameEn]));
    const names = Papa.parse<{ batch: string; genericName: string; genericNameEn: string; listedAs: string }>(readFileSync(NAMES_EN_FILE, "utf8"), {
      header: true,
      skipEmptyLines: true,
    }).data;
    for (const n of names) {
      // Each name is the listed name's own English, and the workbook's name is part of the listed one (its alias in brackets aside).
      expect(englishOf.get(n.listedAs), n.listedAs).toBe(n.genericNameEn);
      expect(n.listedAs, n.genericName).toContain(n.genericName.replace(/（.*?）/g, ""));
      expect(["national-drug-1", "national-drug-1-expansion"]).toContain(n.batch);
    }
    const amlodipine = rows.filter((r) => r.genericName?.endsWith("氨氯地平"));
    expect(amlodipine.length).toBeGreaterThan(3);
    for (const r of amlodipine) expect(r.genericNameEn).toBe("amlodipine besylate");
    expect(rows.filter((r) => r.batch?.startsWith("national-drug-1") && r.genericNameEn).length).toBeGreaterThan(100);
    expect(rows.filter((r) => !r.batch?.startsWith("national-drug-1") && r.genericNameEn)).toEqual([]);
  });
});
