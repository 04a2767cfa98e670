import { describe, expect, it } from "vitest";
import { screenshot, VIEWPORTS } from "./support/browser";
import { layoutProblems, seriousAxeViolations } from "./support/layout";
import { useBrowserSession } from "./support/session";

/*
 * Issue 18's pharmacist, in a real browser against the real Node server and the real seeds: in 浙江,
 * typing the 拼音码 on the box (atfttgp, 阿托伐他汀钙片) and pressing Enter shows the national
 * tables' 阿托伐他汀 (published without salt and form) as a group row with the cheapest unit price in
 * force that 浙江 can buy, on screen without scrolling, at phone and desktop width.
 */
type ApiPrice = { unitPrice: number; synthetic: boolean; state: string; product: { genericName: string; dosageForm: string | null; spec: string | null } };

describe("a pharmacist in 浙江 finds 阿托伐他汀钙片 by its 拼音码", () => {
  const e2e = useBrowserSession();

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`[${size}] type atfttgp, press Enter: the 阿托伐他汀 row with the cheapest unit price in force in 浙江`, async () => {
      // An earlier visit chose 浙江; the browser remembers it, so the search page opens with it.
      const page = await e2e.watch(viewport);
      await page.goto(`${e2e.url}/?province=33`);
      await page.goto(`${e2e.url}/`);
      await expect(page.locator(".filter-fold summary").innerText()).resolves.toContain("浙江省");

      const box = page.getByRole("combobox", { name: "药品或耗材" });
      // action 1: type the 拼音码; action 2: Enter
      await box.pressSequentially("atfttgp", { delay: 20 });
      await Promise.all([page.waitForURL(/\?q=atfttgp/), box.press("Enter")]);

      // What the API says 浙江 can buy today: real prices only (the page's default), in force or of unknown cycle.
      const api = (await (await fetch(`${e2e.url}/api/v1/prices?q=atfttgp&province=33&synthetic=false&limit=200`)).json()) as { data: ApiPrice[] };
      const real = api.data.filter((p) => !p.synthetic && (p.state === "in_force" || p.state === "unknown"));
      expect(real.length).toBeGreaterThan(0);
      expect(new Set(real.map((p) => p.product.genericName))).toEqual(new Set(["阿托伐他汀"]));
      const cheapest = real.reduce((a, b) => (b.unitPrice < a.unitPrice ? b : a));

      const rows = page.locator("details.group > summary");
      await expect(rows.count()).resolves.toBeGreaterThan(0);
      const row = rows
        .filter({ has: page.locator(".g-name", { hasText: /^阿托伐他汀$/ }) })
        .filter({ hasText: cheapest.product.spec ?? "" })
        .first();
      await expect(row.isVisible()).resolves.toBe(true);
      const shown = Number.parseFloat(await row.locator(".g-min .big").innerText());
      expect(shown).toBe(cheapest.unitPrice);
      // No group shows a lower price than the cheapest in force, and the row is on the first screen.
      const mins = (await rows.locator(".g-min .big").allInnerTexts()).map(Number.parseFloat);
      expect(Math.min(...mins)).toBe(cheapest.unitPrice);
      const onScreen = await row.boundingBox();
      expect(onScreen && onScreen.y + onScreen.height).toBeLessThanOrEqual(viewport.height);
      await expect(page.locator(".summary [role=status]").innerText()).resolves.toContain("浙江省可采购");

      await screenshot(page, `search-stems-zhejiang-${size}`);
      expect(await layoutProblems(page), `layout at ${size}`).toEqual([]);
      expect(await seriousAxeViolations(page), `axe at ${size}`).toEqual([]);
    });
  }
});
