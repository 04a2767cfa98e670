import { describe, expect, it } from "vitest";
import { STYLES } from "../../src/ui/assets/styles";
import { SERIES_COLOURS } from "../../src/ui/charts/patterns";

/** WCAG 2.x relative luminance and contrast ratio of two #rrggbb colours. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const vars = Object.fromEntries([...STYLES.matchAll(/--([a-z]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1]!, m[2]!]));
const WHITE = "#ffffff";

describe("colours of the pages (WCAG AA)", () => {
  it("reads the palette from the stylesheet itself", () => {
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(["ink", "muted", "soft", "head", "brand", "link", "good", "bad", "focus"]));
  });

  // [foreground, background, where]: every pairing of text the stylesheet makes.
  const textPairs: Array<[string, string, string]> = [
    ["ink", "white", "body text"],
    ["ink", "soft", "text in the filter panel"],
    ["ink", "head", "table headers"],
    ["muted", "white", "notes and card labels"],
    ["muted", "soft", "hints in the filter panel"],
    ["link", "white", "links"],
    ["link", "soft", "links in the filter panel"],
    ["good", "white", "reductions"],
    ["bad", "white", "overpayment and warnings"],
    ["white", "brand", "header and the highlighted suggestion"],
    ["white", "link", "buttons"],
  ];
  const colour = (name: string) => (name === "white" ? WHITE : vars[name]!);

  it.each(textPairs)("%s on %s (%s) reaches 4.5:1", (fg, bg) => {
    expect(contrast(colour(fg), colour(bg))).toBeGreaterThanOrEqual(4.5);
  });

  it("keeps the focus ring and chart marks at 3:1 against the page (non-text contrast)", () => {
    expect(contrast(vars.focus!, WHITE)).toBeGreaterThanOrEqual(3);
    expect(contrast(vars.focus!, vars.soft!)).toBeGreaterThanOrEqual(3);
    for (const c of Object.values(SERIES_COLOURS)) expect(contrast(c, WHITE)).toBeGreaterThanOrEqual(3);
  });
});
