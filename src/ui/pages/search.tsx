import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { listBatches } from "../../services/batches";
import { searchPrices, type PriceQuery, type PriceSort } from "../../services/prices";
import { regionNameMap } from "../../services/regions";
import { PriceTable, type SortLink } from "../components/price-table";
import { SearchForm } from "../components/search-form";
import { count } from "../format";
import { Layout } from "../layout";
import { filterParams, readPriceQuery, withQuery } from "../query";

function sortLink(query: PriceQuery, ascending: PriceSort, descending: PriceSort, what: string): SortLink {
  const current = query.sort ?? "relevance";
  const state = current === ascending ? "ascending" : current === descending ? "descending" : "none";
  // The first click on 降幅 shows the largest first, on 单价 the cheapest first.
  const next = state === "none" ? (what === "降幅" ? descending : ascending) : state === "ascending" ? descending : ascending;
  return {
    href: `${withQuery("/", { ...filterParams(query), sort: next })}#results`,
    state,
    hint: next === ascending ? `按${what}从低到高排序` : `按${what}从高到低排序`,
  };
}

/** 查询: the home page. Search box with type-ahead, filters, a sortable and paged table, CSV export. */
export async function searchPage(c: Context<AppEnv>) {
  const db = c.get("deps").db;
  const read = readPriceQuery(c.req.query());
  const [batches, regionNames] = await Promise.all([listBatches(db), regionNameMap(db)]);
  const regions = [...regionNames].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
  const query = read.ok ? read.query : { limit: 20 };
  const page = read.ok ? await searchPrices(db, query) : null;
  const pageNo = Math.max(1, Number.parseInt(c.req.query("n") ?? "1", 10) || 1);
  const filters = filterParams(query);
  const exportHref = withQuery("/api/v1/prices.csv", { ...filters, sort: query.sort, headers: "zh" });
  const hasQuery = Object.values(filters).some((v) => v !== undefined);

  return c.html(
    <Layout title={query.q ? `${query.q} 的中选价格` : "查询中选价格"} nav="search" scripts={["typeahead.js"]}>
      <h1>查询中选价格</h1>
      <p class="lead">集中带量采购（集采）的中选价格、降幅与供应地区。</p>
      <SearchForm query={query} batches={batches} regions={regions} />
      {!read.ok ? (
        <div class="alert" role="alert">
          <p>查询条件有误，请修改后再试：</p>
          <ul>
            {read.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {page ? (
        <section aria-labelledby="results-heading">
          <div class="summary">
            <h2 id="results-heading" style="margin:0">
              {hasQuery ? "查询结果" : "最新中选价格"}
            </h2>
            <span role="status">
              共 {count(page.total)} 条{page.total > query.limit ? `，第 ${pageNo} 页` : ""}
            </span>
            {page.total > 0 ? <a href={exportHref}>导出本次查询（CSV，可用 Excel 打开）</a> : null}
          </div>
          {page.items.length ? (
            <PriceTable
              items={page.items}
              caption={hasQuery ? "查询结果" : "最新中选价格"}
              sortLinks={{
                unitPrice: sortLink(query, "unitPrice", "-unitPrice", "单价"),
                discount: sortLink(query, "discount", "-discount", "降幅"),
              }}
            />
          ) : (
            <p>没有找到符合条件的中选价格。请换一个名称、拼音码，或放宽筛选条件。</p>
          )}
          <nav class="pager" aria-label="翻页">
            {pageNo > 1 ? <a href={withQuery("/", { ...filters, sort: query.sort })}>« 第一页</a> : null}
            {page.nextCursor ? (
              <a href={`${withQuery("/", { ...filters, sort: query.sort, cursor: page.nextCursor, n: pageNo + 1 })}#results`} rel="next">
                下一页 »
              </a>
            ) : null}
          </nav>
        </section>
      ) : null}
    </Layout>,
    read.ok ? 200 : 400,
  );
}
