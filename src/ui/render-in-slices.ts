import { raw } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { HtmlEscapedString } from "hono/utils/html";

/** Rows per slice: ~10 ms of the event loop for the 比价 table's rows. */
const SLICE = 100;

/**
 * Many rows rendered a slice at a time, with other requests let in between slices: the 比价 page's
 * 1,000 rows took ~100 ms of the event loop in one piece, during which /health and every other
 * request waited. The result goes into the page as HTML already escaped.
 */
export async function renderInSlices<T>(items: readonly T[], row: (item: T) => JSX.Element): Promise<HtmlEscapedString> {
  let html = "";
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % SLICE === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    // A component's element renders to its HTML, or to a promise of it for an async one.
    html += await row(items[i]!).toString();
  }
  return raw(html);
}
