import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { assetUrl } from "./assets/assets.routes";

export type NavKey = "search" | "batches" | "savings" | "price-check" | "import" | "product";

const NAV: Array<{ key: NavKey; href: string; label: string }> = [
  { key: "search", href: "/", label: "查询" },
  { key: "batches", href: "/batches", label: "批次" },
  { key: "savings", href: "/savings", label: "节约" },
  { key: "price-check", href: "/price-check", label: "比价" },
  { key: "import", href: "/import", label: "导入" },
];

/** The frame of every page: language, viewport, skip link, navigation, one stylesheet. */
export function Layout(props: { title: string; nav?: NavKey; children: Child; scripts?: string[] }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · 集采价格查询`}</title>
          {/* An empty icon: otherwise the browser asks for /favicon.ico and logs the 404 as an error. */}
          <link rel="icon" href="data:," />
          {/* The server's no-referrer policy makes a browser send "Origin: null" with a form post, which
              the same-origin write check refuses; same-origin still sends nothing to other sites. */}
          <meta name="referrer" content="same-origin" />
          <link rel="stylesheet" href={assetUrl("app.css")} />
          {(props.scripts ?? []).map((name) => (
            <script src={assetUrl(name)} defer></script>
          ))}
        </head>
        <body>
          <a class="skip" href="#main">
            跳到正文
          </a>
          <header class="site-header">
            <div class="bar">
              <a class="brand" href="/">
                集采价格查询
              </a>
              <nav aria-label="主导航">
                <ul>
                  {NAV.map((item) => (
                    <li>
                      <a href={item.href} aria-current={item.key === props.nav ? "page" : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                  <li>
                    <a href="/docs">API 文档</a>
                  </li>
                </ul>
              </nav>
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
          <footer class="site-footer">价格来自公开的集采结果与报道；标注“合成”的数据为演示用模拟数据，不是真实价格。金额单位：元（人民币）。</footer>
        </body>
      </html>
    </>
  );
}
