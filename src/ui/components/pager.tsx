/**
 * Numbered pages with previous and next: 1 … 4 5 [6] 7 8 … 20. `href(n)` builds the link of page n.
 */
export function Pager(props: { page: number; pages: number; href: (n: number) => string; label?: string }) {
  const { page, pages } = props;
  if (pages <= 1) return null;
  const shown = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  const numbers = [...shown].sort((a, b) => a - b);
  const items: Array<number | "gap"> = [];
  numbers.forEach((n, i) => {
    const prev = numbers[i - 1];
    if (prev !== undefined && n - prev > 1) items.push("gap");
    items.push(n);
  });
  return (
    <nav class="pager" aria-label={props.label ?? "翻页"}>
      {page > 1 ? (
        <a href={props.href(page - 1)} rel="prev">
          ‹ 上一页
        </a>
      ) : null}
      <ol>
        {items.map((n) =>
          n === "gap" ? (
            <li class="gap" aria-hidden="true">
              …
            </li>
          ) : (
            <li>
              {n === page ? (
                <span aria-current="page" class="current">
                  <span class="visually-hidden">第 </span>
                  {n}
                  <span class="visually-hidden"> 页</span>
                </span>
              ) : (
                <a href={props.href(n)} aria-label={`第 ${n} 页`}>
                  {n}
                </a>
              )}
            </li>
          ),
        )}
      </ol>
      {page < pages ? (
        <a href={props.href(page + 1)} rel="next">
          下一页 ›
        </a>
      ) : null}
    </nav>
  );
}
