/**
 * The pages' one stylesheet, served from /ui/app.css. Colours are chosen for WCAG AA contrast
 * (4.5:1 for text, 3:1 for focus rings and chart marks) on their backgrounds; figures never rely
 * on colour alone.
 */
export const STYLES = /* css */ `
:root {
  --ink: #1b1f24; --muted: #4a5560; --line: #c9d1da; --soft: #f3f6f9; --head: #e6edf5;
  --brand: #123c69; --link: #0a58ca; --good: #0b6b3a; --bad: #a61b1b; --focus: #b34700;
  font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", system-ui, sans-serif;
  color: var(--ink); background: #fff; line-height: 1.55; font-size: 16px;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--link); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
.site-header { background: var(--brand); color: #fff; }
.site-header .bar { max-width: 1240px; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1.4rem; }
.site-header .brand { color: #fff; font-weight: 700; font-size: 1.15rem; text-decoration: none; }
.site-header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .2rem .9rem; margin: 0; padding: 0; }
.site-header nav a { color: #fff; text-decoration: none; padding: .2rem .1rem; border-bottom: 2px solid transparent; }
.site-header nav a[aria-current="page"] { border-bottom-color: #fff; font-weight: 700; }
.site-header nav a:hover { border-bottom-color: #c8d8ea; }
.site-header :focus-visible { outline-color: #ffd27a; }
main { max-width: 1240px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .4rem 0 .8rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; }
.lead { color: var(--muted); margin-top: -.4rem; }
.note { color: var(--muted); font-size: .9rem; }
.tag { display: inline-block; font-size: .75rem; padding: 0 .35rem; border: 1px solid var(--muted); border-radius: 3px; color: var(--muted); vertical-align: middle; margin-left: .3rem; white-space: nowrap; }
.tag.warn { border-color: var(--bad); color: var(--bad); }
.tag.state { margin-left: 0; }
.tag.state-in_force { border-color: var(--good); color: var(--good); }
.good { color: var(--good); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.site-footer { max-width: 1240px; margin: 2rem auto 1rem; padding: 0 1rem; color: var(--muted); font-size: .85rem; }

/* forms */
form.panel, .panel { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .9rem 1rem; margin-bottom: 1rem; }
.field { display: flex; flex-direction: column; gap: .2rem; min-width: 0; }
.field label, .field .label { font-weight: 600; font-size: .92rem; }
.field .hint { color: var(--muted); font-size: .85rem; }
input, select, button, textarea { font: inherit; color: var(--ink); }
input[type="search"], input[type="text"], input[type="password"], input[type="number"], select {
  border: 1px solid #6b7785; border-radius: 4px; padding: .45rem .55rem; background: #fff; width: 100%; min-height: 2.5rem;
}
input[type="file"] { max-width: 100%; }
button, .button { background: var(--link); color: #fff; border: 1px solid var(--link); border-radius: 4px; padding: .45rem 1.1rem; cursor: pointer; min-height: 2.5rem; text-decoration: none; display: inline-flex; align-items: center; gap: .3rem; }
button.secondary, .button.secondary { background: #fff; color: var(--link); }
.search-row { display: grid; grid-template-columns: 1fr auto; gap: .6rem; align-items: end; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .6rem .9rem; margin-top: .7rem; }
.form-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .8rem 1rem; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin-top: .8rem; }
.check { display: flex; gap: .45rem; align-items: center; }
.check input { width: 1.15rem; height: 1.15rem; }

/* type-ahead */
.combo { position: relative; }
.combo [role="listbox"] { position: absolute; z-index: 5; left: 0; right: 0; top: 100%; margin: 2px 0 0; padding: 0; list-style: none; background: #fff; border: 1px solid #6b7785; border-radius: 4px; box-shadow: 0 4px 12px rgba(0,0,0,.15); max-height: 20rem; overflow: auto; }
.combo [role="option"] { padding: .45rem .6rem; cursor: pointer; display: flex; justify-content: space-between; gap: 1rem; }
.combo [role="option"] .en, .combo [role="option"] .n { color: var(--muted); font-size: .85rem; }
.combo [role="option"][aria-selected="true"] { background: var(--brand); color: #fff; }
.combo [role="option"][aria-selected="true"] .en, .combo [role="option"][aria-selected="true"] .n { color: #e6eef7; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

/* tables */
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .45rem .5rem; vertical-align: top; text-align: left; }
thead th { background: var(--head); white-space: nowrap; }
th a { color: var(--ink); }
tbody tr:hover { background: #f8fafc; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: baseline; margin: .6rem 0; }
.pager { display: flex; gap: 1rem; align-items: center; margin: .8rem 0; flex-wrap: wrap; }

/* the figure a pharmacist came for */
.keyfigures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10.5rem, 1fr)); gap: .7rem; margin: .8rem 0 1rem; }
.keyfigure { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; background: #fff; }
.keyfigure .k { color: var(--muted); font-size: .88rem; }
.keyfigure .v { font-size: 1.45rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.keyfigure .v .u { font-size: .95rem; font-weight: 600; }
.keyfigure .s { color: var(--muted); font-size: .85rem; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.alert { border: 2px solid var(--bad); background: #fff5f5; padding: .7rem 1rem; border-radius: 6px; margin: 1rem 0; }
.notice { border-left: 4px solid var(--link); background: #f3f7fb; padding: .5rem .8rem; margin: .8rem 0; border-radius: 0 6px 6px 0; }
.ok { border: 2px solid var(--good); background: #f2fbf5; padding: .7rem 1rem; border-radius: 6px; margin: 1rem 0; }

/* charts: text in CSS pixels, bars in percent, so labels stay readable on a phone */
figure.chart { margin: 1rem 0; border: 1px solid var(--line); border-radius: 6px; padding: .7rem .8rem; }
figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
figure.chart svg { display: block; width: 100%; overflow: visible; }
figure.chart svg text { font-size: 13px; fill: var(--ink); font-family: inherit; }
figure.chart svg text.value { font-weight: 600; font-variant-numeric: tabular-nums; }
figure.chart svg .axis { stroke: #6b7785; stroke-width: 1; }
figure.chart svg .grid { stroke: #dde3ea; stroke-width: 1; }
figure.chart .legend { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .9rem; margin-top: .3rem; }
figure.chart .legend svg { display: inline-block; width: 1.4rem; height: .9rem; vertical-align: middle; margin-right: .3rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr)); gap: 0 1rem; }

/* grouped search results: one dense row per generic name + form + strength, expanding in place */
.search-panel { padding: .7rem .9rem; }
.search-panel .actions { margin-top: 0; }
.filter-fold { margin-top: .5rem; }
.filter-fold > summary { cursor: pointer; display: inline-flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; padding: .3rem .6rem; border: 1px solid #6b7785; border-radius: 4px; background: #fff; min-height: 2.5rem; align-items: center; }
.filter-fold > summary .summary-label { font-weight: 600; }
.filter-fold > summary .summary-value { color: var(--muted); }
.check-field .check { min-height: 2.5rem; }
.summary h2 { margin: 0; font-size: 1.1rem; }
.groups { border-top: 1px solid var(--line); }
.group-row { display: grid; grid-template-columns: minmax(10rem, 3fr) minmax(4rem, 1fr) minmax(5rem, 1.2fr) 9rem 9rem 3.5rem 6.5rem 6.5rem; gap: 0 .8rem; align-items: baseline; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
.group-row > span { min-width: 0; overflow-wrap: anywhere; }
.group-head { background: var(--head); font-weight: 600; font-size: .92rem; }
details.group > summary { cursor: pointer; list-style: none; }
details.group > summary::-webkit-details-marker { display: none; }
details.group > summary .g-name::before { content: "▸"; display: inline-block; width: 1.1em; color: var(--muted); }
details.group[open] > summary .g-name::before { content: "▾"; }
details.group > summary:hover { background: #f3f7fb; }
details.group[open] > summary { background: var(--soft); }
.g-name { font-weight: 600; }
.group-row .per { color: var(--muted); font-size: .8rem; }
.group-items { padding: .3rem .5rem .8rem 1.6rem; border-bottom: 1px solid var(--line); }
.group-items table { font-size: .92rem; }
.group-items th, .group-items td { padding: .3rem .45rem; }
.group-items td[data-label="包装"] { white-space: nowrap; }
.unit-price .big, .g-min .big { font-weight: 700; }
.phone-only { display: none; }
.synthetic-note { border-left: 4px solid var(--muted); background: var(--soft); padding: .4rem .8rem; margin: .4rem 0; }
.empty-result { padding: .6rem 0; }
.pager ol { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem; margin: 0; padding: 0; }
.pager a, .pager .current { display: inline-block; min-width: 2.2rem; min-height: 2.2rem; line-height: 2.2rem; text-align: center; padding: 0 .4rem; border: 1px solid var(--line); border-radius: 4px; text-decoration: none; }
.pager .current { background: var(--brand); color: #fff; border-color: var(--brand); font-weight: 700; }
.pager .gap { padding: 0 .2rem; line-height: 2.2rem; }
.headline { font-size: 1.05rem; font-weight: 600; color: var(--good); margin: .4rem 0 .8rem; }
.inline-form { display: flex; flex-wrap: wrap; gap: .5rem .8rem; align-items: center; margin: .4rem 0 1rem; }
.inline-form input[type="number"] { width: 7rem; }
figure.single-point { margin: 1rem 0; border: 1px solid var(--line); border-radius: 6px; padding: .7rem .8rem; }
figure.single-point figcaption { color: var(--muted); }
figure.single-point p { margin: .3rem 0 0; font-size: 1.1rem; }
.renewals h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
ol.chain { margin: 0 0 .6rem; padding-left: 1.4rem; }
ol.chain li { margin: .2rem 0; }
ol.chain .step { display: inline-block; min-width: 5.5rem; color: var(--muted); }
.where-form select { max-width: 12rem; }
form.downloads { display: inline; margin: 0; }
button.link { background: none; border: 0; padding: 0; min-height: 0; color: var(--link); text-decoration: underline; font: inherit; cursor: pointer; }
.plain-note { border-left: 4px solid var(--line); background: var(--soft); padding: .5rem .9rem; margin: .8rem 0; border-radius: 0 4px 4px 0; }

/* below 720 px a wide table becomes one card per row, each cell labelled */
.api-reference { max-width: 1040px; margin: 0 auto; padding: 1rem; }
.api-op { border-top: 1px solid var(--line); margin-top: 1.2rem; padding-top: .4rem; }
.api-op h3 { font-size: 1.05rem; }
.api-op .scroll, .api-op pre { overflow-x: auto; }
.api-op pre { background: var(--soft); padding: .5rem .7rem; border-radius: 4px; }
.api-responses { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; }
.api-responses dd { margin: 0; }
#docs-status { max-width: 1040px; margin: .8rem auto 0; padding: 0 1rem; }
@media (max-width: 720px) {
  main { padding: .7rem; }
  h1 { font-size: 1.3rem; }
  .search-row { grid-template-columns: 1fr; }
  table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.cards, table.cards caption:not(.visually-hidden), table.cards tbody, table.cards tr, table.cards td, table.cards th[scope="row"] { display: block; width: 100%; }
  table.cards tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .7rem; padding: .35rem .6rem; }
  /* the label hangs in a left column; the cell's own content (text, links, tags) flows inline after it */
  /* flow-root: the cell grows to hold its label even when the label wraps to two lines */
  table.cards td { display: flow-root; border: 0; padding: .15rem 0 .15rem 6rem; text-align: left; white-space: normal; }
  table.cards td::before { content: attr(data-label); float: left; width: 5.6rem; margin-left: -6rem; color: var(--muted); font-size: .88rem; line-height: 1.8; }
  table.cards td.lead-cell { padding-left: 0; font-size: 1.05rem; font-weight: 600; }
  table.cards td.lead-cell::before { display: none; }
  table.cards td.empty { display: none; }
  .desk-only { display: none; }
  .phone-only { display: inline; }
  table.cards td.desk-only { display: none; }
  .group-head { display: none; }
  .group-row { grid-template-columns: 1fr auto; gap: .1rem .6rem; padding: .55rem .4rem; }
  .group-row .g-name { grid-column: 1 / -1; }
  .group-row .g-form, .group-row .g-spec { display: none; }
  .group-row .g-name::after { content: attr(data-sub); }
  .group-row .g-min { grid-column: 1; text-align: left; }
  .group-row .g-min .big { font-size: 1.35rem; }
  .group-row .g-firms { grid-column: 2; grid-row: 2; align-self: center; }
  .group-row .g-max, .group-row .g-dc, .group-row .g-dp { text-align: left; font-size: .88rem; color: var(--muted); }
  .group-row .g-max { grid-column: 1; grid-row: 3; }
  .group-row .g-dc { grid-column: 1; grid-row: 4; }
  .group-row .g-dp { grid-column: 2; grid-row: 4; text-align: right; }
  .group-items { padding: .4rem 0 .6rem; }
  .group-items table.cards td.unit-price .big { font-size: 1.35rem; }
  .group-items table.cards td.unit-price { padding-left: 0; }
  .group-items table.cards td.unit-price::before { display: none; }
  /* the reductions' labels name their baseline: a wider label column keeps them on one line */
  .group-items table.cards td:not(.lead-cell):not(.unit-price) { padding-left: 7.6rem; }
  .group-items table.cards td::before { width: 7.2rem; margin-left: -7.6rem; }
}
`;
