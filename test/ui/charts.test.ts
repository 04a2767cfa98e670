import { describe, expect, it } from "vitest";
import { BarChart } from "../../src/ui/charts/bar-chart";
import { LineChart } from "../../src/ui/charts/line-chart";

const render = async (node: unknown) => String(await (node as { toString(): string | Promise<string> }).toString());

describe("server-rendered SVG charts", () => {
  it("writes each bar's number beside it and in a hover title, and hatches the second series", async () => {
    const svg = await render(
      BarChart({
        id: "t",
        title: "按地区（元）",
        description: "两个地区",
        series: [
          { label: "节约支出", style: "solid" },
          { label: "节约医保基金", style: "hatch" },
        ],
        rows: [
          { label: "乌海市", values: [1402200, 1020801.6], displays: ["140.22 万元", "102.08 万元"] },
          { label: "阿拉善盟", values: [700000, 0], displays: ["70.00 万元", "无基金比例"] },
        ],
      }),
    );
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="t-title t-desc"');
    expect(svg).toContain("<title>乌海市 · 节约医保基金：102.08 万元</title>");
    expect(svg).toMatch(/<text class="value"[^>]*>140\.22 万元<\/text>/);
    expect(svg).toContain('fill="url(#t-hatch)"');
    // bars scale to the largest value: 1402200 fills the 60 % budget, 700000 half of it
    expect(svg).toContain('width="60.000%"');
    expect(svg).toContain('width="29.953%"');
    // the legend names both series
    expect(svg).toContain("节约支出</span>");
    expect(svg).toContain("节约医保基金</span>");
  });

  it("draws a price history from zero with every point labelled", async () => {
    const svg = await render(
      LineChart({
        id: "h",
        title: "历次中选单价",
        description: "两批",
        points: [
          { label: "2019-01", value: 2, display: "2.00 元", detail: "第一批" },
          { label: "2021-09", value: 1, display: "1.00 元", detail: "第三批" },
        ],
      }),
    );
    expect(svg).toContain("<title>第三批：1.00 元</title>");
    expect(svg).toMatch(/<text class="value"[^>]*>2\.00 元<\/text>/);
    // the lower price sits halfway between the top of the plot (30) and the zero line (190)
    expect(svg).toContain('cy="110"');
    expect(svg).toContain('cy="30"');
  });

  it("says so in words when there is nothing to draw", async () => {
    const svg = await render(BarChart({ id: "e", title: "空", description: "", series: [{ label: "x", style: "solid" }], rows: [] }));
    expect(svg).toContain("没有可画的数据");
    expect(svg).not.toContain("<svg role");
  });
});
