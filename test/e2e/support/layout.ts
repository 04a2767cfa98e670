import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/*
 * Layout rules measured from element geometry in the browser, so a test fails on what a reader
 * would see: text over text or over a control, a caption squeezed to one character per line, a
 * page wider than the screen, a column of figures with mixed decimals or ragged right edges.
 */

export type LayoutProblem = string;

/** Runs every layout rule on the page as it is now and returns what broke (empty when nothing did). */
export async function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) problems.push(`horizontal scroll: page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window`);

    const describe = (el: Element) => {
      const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 30);
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.classList.length ? `.${[...el.classList].join(".")}` : ""} "${text}"`;
    };
    /** Hidden from sight on purpose (the visually-hidden pattern: a 1px clipped box). */
    const clippedAway = (el: Element) => {
      // Inside a closed <details> (content-visibility: hidden) or display: none, or transparent.
      if (!el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true })) return true;
      for (let e: Element | null = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.visibility === "hidden" || s.opacity === "0") return true;
        if (s.position === "absolute" && (s.clip === "rect(0px, 0px, 0px, 0px)" || s.clipPath === "inset(50%)")) return true;
        if (e.getBoundingClientRect().width <= 1 && s.overflow === "hidden") return true;
      }
      return false;
    };

    type Piece = { el: Element; rects: DOMRect[]; chars: number };
    const pieces: Piece[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      if (!text.trim()) continue;
      const el = node.parentElement;
      if (!el || el.closest("script, style, title, desc, option, [hidden]")) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
      if (!rects.length || clippedAway(el)) continue;
      pieces.push({ el, rects, chars: [...text.trim()].length });
      // One character per line: a text of 3+ characters laid out on about as many lines as it has characters.
      const lines = new Set(rects.map((r) => Math.round(r.top))).size;
      if (text.trim().length >= 3 && lines >= 3 && pieces[pieces.length - 1]!.chars / lines < 1.6) {
        problems.push(`text wraps about one character per line (${lines} lines): ${describe(el)}`);
      }
    }

    const overlap = (a: DOMRect, b: DOMRect, slack = 1.5) =>
      a.left < b.right - slack && b.left < a.right - slack && a.top < b.bottom - slack && b.top < a.bottom - slack;
    // Text over text of another element (neither inside the other).
    for (let i = 0; i < pieces.length; i++) {
      for (let j = i + 1; j < pieces.length; j++) {
        const a = pieces[i]!;
        const b = pieces[j]!;
        if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
        if (a.rects.some((ra) => b.rects.some((rb) => overlap(ra, rb)))) {
          problems.push(`text overlaps text: ${describe(a.el)} and ${describe(b.el)}`);
        }
      }
    }
    // Text over a form control or button it is not part of.
    const controls = [...document.querySelectorAll("input:not([type=hidden]), select, textarea, button, .button, summary")].filter((c) => !clippedAway(c));
    for (const c of controls) {
      const box = c.getBoundingClientRect();
      if (box.width < 2 || box.height < 2) continue;
      for (const p of pieces) {
        if (c.contains(p.el) || p.el.contains(c) || (c.tagName === "INPUT" && p.el.tagName === "LABEL" && p.el.contains(c))) continue;
        if (p.rects.some((r) => overlap(r, box))) problems.push(`text overlaps a control: ${describe(p.el)} over ${describe(c)}`);
      }
    }

    // Figures: one number of decimals per column, and (in a table laid out as a table) right edges in line.
    const firstNumber = (text: string) => /-?\d[\d,]*(?:\.(\d+))?/.exec(text.replace(/\s+/g, " "));
    const columns = new Map<string, Array<{ decimals: number; right: number; el: Element }>>();
    const add = (key: string, el: Element) => {
      const visible = el.getBoundingClientRect();
      if (visible.width < 1) return;
      const m = firstNumber(el.textContent ?? "");
      if (!m) return;
      const list = columns.get(key) ?? [];
      list.push({ decimals: m[1]?.length ?? 0, right: visible.right, el });
      columns.set(key, list);
    };
    document.querySelectorAll("table:not([data-mixed-rows])").forEach((table, t) => {
      table.querySelectorAll(":scope > tbody > tr").forEach((tr) => {
        [...tr.children].forEach((cell, i) => {
          if (cell.classList.contains("num")) add(`table ${t}${table.id ? `#${table.id}` : ""} column ${i + 1}`, cell);
        });
      });
    });
    document.querySelectorAll(".groups").forEach((groups, g) => {
      for (const cls of ["g-min", "g-max", "g-disc"]) groups.querySelectorAll(`summary .${cls}`).forEach((el) => add(`results ${g} ${cls}`, el));
    });
    for (const [key, cells] of columns) {
      const decimals = new Set(cells.map((c) => c.decimals));
      if (decimals.size > 1) problems.push(`${key}: figures with ${[...decimals].join(" and ")} decimals`);
      const laidOutAsTable = cells.every((c) => getComputedStyle(c.el).display === "table-cell" && getComputedStyle(c.el).textAlign === "right");
      if (laidOutAsTable) {
        const rights = cells.map((c) => c.right);
        if (Math.max(...rights) - Math.min(...rights) > 1.5) problems.push(`${key}: right edges not in line`);
      }
    }
    return problems;
  });
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Serious and critical accessibility violations axe-core finds on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.targets.join(", ")}`);
}
