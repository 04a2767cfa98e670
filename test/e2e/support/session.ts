import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { launchChromium, VIEWPORTS, type WatchedPage, watchedPage } from "./browser";
import { type E2eServer, startE2eServer } from "./server";

type Viewport = { width: number; height: number };

/** One describe block's server and browser, and the watched page its current test is on. */
export type BrowserSession = {
  /** The real server's origin, e.g. http://127.0.0.1:23456. */
  readonly url: string;
  readonly server: E2eServer;
  readonly browser: Browser;
  /** A new watched page (the previous one closed), not navigated anywhere yet. */
  watch(viewport?: Viewport): Promise<Page>;
  /** A new watched page at this path of the server. */
  open(path: string, viewport?: Viewport): Promise<Page>;
  /** What the browser reported on the current page so far; the list is emptied. */
  takeProblems(): string[];
};

/**
 * The lifecycle every browser test shares: the real server and chromium started once for the
 * describe block (in parallel), each test's page closed after it, and the test failing on any
 * console error, uncaught exception or failed request the page reported. Call it inside describe().
 */
export function useBrowserSession(): BrowserSession {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let current: WatchedPage | undefined;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    const problems = current?.problems ?? [];
    await current?.page.context().close();
    current = undefined;
    expect(problems, "the browser reported errors").toEqual([]);
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the browser session is used before beforeAll started it");
    return value;
  };

  const session: BrowserSession = {
    get url() {
      return started(server).url;
    },
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    async watch(viewport: Viewport = VIEWPORTS.desktop) {
      await current?.page.context().close();
      current = await watchedPage(started(browser), viewport);
      return current.page;
    },
    async open(path: string, viewport?: Viewport) {
      const page = await session.watch(viewport);
      await page.goto(session.url + path);
      return page;
    },
    takeProblems() {
      const problems = current?.problems ?? [];
      if (current) current.problems = [];
      return problems;
    },
  };
  return session;
}
