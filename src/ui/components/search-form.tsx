import { CATEGORIES, LEVELS } from "../../db/schema";
import type { PriceQuery } from "../../services/prices";
import { CATEGORY_LABELS, LEVEL_LABELS, SORT_LABELS } from "../format";

export type BatchOption = { id: string; name: string; synthetic: boolean };
export type RegionOption = { code: string; name: string };

function Select(props: { id: string; label: string; value?: string; options: Array<{ value: string; label: string }>; all?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        {props.all !== undefined ? <option value="">{props.all}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The search box and its filters. A plain GET form: without JavaScript it searches as soon as it
 * is submitted; with it, the box offers names as the user types (typeahead.js).
 */
export function SearchForm(props: { query: PriceQuery; batches: BatchOption[]; regions: RegionOption[] }) {
  const q = props.query;
  return (
    <form class="panel" method="get" action="/" role="search" aria-label="查询中选价格">
      <div class="search-row">
        <div class="field">
          <label for="q">药品或耗材</label>
          <div class="combo">
            <input
              id="q"
              name="q"
              type="search"
              value={q.q ?? ""}
              autocomplete="off"
              spellcheck={false}
              role="combobox"
              aria-autocomplete="list"
              aria-controls="q-suggestions"
              aria-expanded="false"
              aria-describedby="q-hint"
              placeholder="如 阿托伐他汀、atfttgp、冠脉支架"
            />
            <ul id="q-suggestions" role="listbox" aria-label="名称建议" hidden></ul>
          </div>
          <span id="q-hint" class="hint">
            可输入中文名、拼音码、英文名、企业名、医保编码或批准文号
          </span>
        </div>
        <div class="actions" style="margin-top:0">
          <button type="submit">查询</button>
          <a href="/" class="button secondary">
            清除条件
          </a>
        </div>
      </div>
      <div id="q-status" class="visually-hidden" role="status" aria-live="polite"></div>
      <div class="filters">
        <Select
          id="batch"
          label="批次"
          value={q.batch}
          all="全部批次"
          options={props.batches.map((b) => ({ value: b.id, label: b.synthetic ? `${b.name}（合成）` : b.name }))}
        />
        <Select id="category" label="类别" value={q.category} all="全部类别" options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} />
        <Select id="level" label="级别" value={q.level} all="全部级别" options={LEVELS.map((l) => ({ value: l, label: LEVEL_LABELS[l] }))} />
        <Select
          id="region"
          label="供应地区"
          value={q.region}
          all="全部地区"
          // Cities are indented under their province (codes are 2 digits for a province, 6 below).
          options={props.regions.map((r) => ({ value: r.code, label: r.code.length > 2 ? `\u3000${r.name}` : r.name }))}
        />
        <Select
          id="sort"
          label="排序"
          value={q.sort ?? "relevance"}
          options={Object.entries(SORT_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </div>
    </form>
  );
}
