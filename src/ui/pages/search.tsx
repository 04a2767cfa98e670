import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { batchOptions } from "../../services/batch-options";
import { dosageForms, type GroupQuery, type GroupSort } from "../../services/grouped-results";
import type { PriceQuery } from "../../services/prices";
import { readCallsOf } from "../../services/read-calls";
import { GroupResults, groupHref } from "../components/group-results";
import { Pager } from "../components/pager";
import { GROUP_SORT_LABELS, SearchForm } from "../components/search-form";
import { count } from "../format";
import { Layout } from "../layout";
import { chooseProvince, readIncludeEnded } from "../province";
import { filterParams, readPriceQuery, withQuery } from "../query";

export const GROUPS_PER_PAGE = 20;

function readGroupQuery(raw: Record<string, string>): { query: GroupQuery; problems: string[] } {
  const { sort, n, province, state, include, synthetic, dosageForm, spec, ...rest } = raw;
  const base = readPriceQuery(rest);
  const problems = base.ok ? [] : base.problems;
  const groupSort = (Object.keys(GROUP_SORT_LABELS) as GroupSort[]).find((s) => s === sort) ?? "relevance";
  const page = Math.min(10_000, Math.max(1, Number.parseInt(n ?? "1", 10) || 1));
  // A refused query keeps what was typed in the form (a pasted line too long to search), to be shortened there.
  const filters: PriceQuery = base.ok ? base.query : { q: rest.q?.trim() || undefined, manufacturer: rest.manufacturer?.trim() || undefined };
  return {
    problems,
    query: {
      q: filters.q,
      batch: filters.batch,
      level: filters.level,
      category: filters.category,
      manufacturer: filters.manufacturer,
      minDiscount: filters.minDiscount,
      maxUnitPrice: filters.maxUnitPrice,
      dosageForm: dosageForm?.trim() || undefined,
      spec: spec?.trim() || undefined,
      includeEnded: readIncludeEnded({ include, state }),
      synthetic: synthetic === "1",
      sort: groupSort,
      page,
      pageSize: GROUPS_PER_PAGE,
    },
  };
}

/** The query as URL parameters (no page), for links that keep it. */
function queryParams(q: GroupQuery, province: string | null): Record<string, string | undefined> {
  return {
    ...filterParams({ ...q, region: undefined, province: undefined }),
    dosageForm: q.dosageForm,
    spec: q.spec,
    province: province ?? undefined,
    include: q.includeEnded ? "ended" : undefined,
    synthetic: q.synthetic ? "1" : undefined,
    sort: q.sort === "relevance" ? undefined : q.sort,
  };
}

/** 查询: the home page. Search box with type-ahead, folded filters, grouped results, numbered pages. */
export async function searchPage(c: Context<AppEnv>) {
  const deps = c.get("deps");
  const db = deps.db;
  const [batches, place, forms] = await Promise.all([batchOptions(db), chooseProvince(c), dosageForms(db)]);
  const province = place.code;
  const provinces = place.options;
  const { query, problems } = readGroupQuery(c.req.query());
  const grouped: GroupQuery = { ...query, province: province ?? undefined };
  const result = problems.length ? null : await readCallsOf(deps).searchGroups(grouped);
  const params = queryParams(query, province);
  const pages = result ? Math.max(1, Math.ceil(result.total / GROUPS_PER_PAGE)) : 1;
  const provinceName = place.name;
  const exportHref = withQuery("/api/v1/prices.csv", {
    ...filterParams({ ...query, region: undefined }),
    province: province ?? undefined,
    include: query.includeEnded ? "ended" : undefined,
    headers: "zh",
  });
  const heading = query.q ? `“${query.q}”的中选价格` : "中选价格";

  return c.html(
    <Layout title={query.q ? `${query.q} 的中选价格` : "查询中选价格"} nav="search" scripts={["typeahead.js"]}>
      <h1 class="visually-hidden">查询中选价格</h1>
      <SearchForm query={query} province={province} provinces={provinces} batches={batches} dosageForms={forms} />
      {problems.length ? (
        <div class="alert" role="alert">
          <p>查询条件有误，请修改后再试：</p>
          <ul>
            {problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {result ? (
        <section aria-labelledby="results-heading">
          <div class="summary">
            <h2 id="results-heading">{heading}</h2>
            <span role="status">
              {provinceName ? `${provinceName}可采购，` : ""}
              {query.includeEnded ? "含已到期和未开始，" : "执行中，"}共 {count(result.total)} 组{pages > 1 ? `，第 ${query.page}/${pages} 页` : ""}
            </span>
            {result.total > 0 ? <a href={exportHref}>导出 CSV</a> : null}
          </div>
          {result.anySynthetic ? (
            <p class="synthetic-note" role="note">
              已按要求包含<strong>合成演示数据</strong>（批次名带“合成数据”）：这些价格是模拟的，不是真实中选价格。
            </p>
          ) : null}
          {result.groups.length ? (
            <GroupResults groups={result.groups} moreHref={(g) => groupHref(params, g)} />
          ) : (
            <div class="empty-result">
              {result.didYouMean.length ? (
                <p>
                  没有找到“{query.q}”。您要找的是不是：
                  {result.didYouMean.map((name, i) => (
                    <>
                      {i > 0 ? "、" : ""}
                      <a href={withQuery("/", { ...params, q: name })}>{name}</a>
                    </>
                  ))}
                  ？
                </p>
              ) : (
                <p>没有找到符合条件的中选价格。请换一个名称或拼音码，或放宽筛选条件{query.includeEnded ? "" : "（如勾选“包含已到期和未开始的价格”）"}。</p>
              )}
            </div>
          )}
          <Pager page={query.page} pages={pages} href={(n) => `${withQuery("/", { ...params, n: n > 1 ? n : undefined })}#results-heading`} />
        </section>
      ) : null}
    </Layout>,
    problems.length ? 400 : 200,
  );
}
