import { CATEGORIES, LEVELS } from "../../db/schema";
import type { BatchOption } from "../../services/batch-options";
import type { GroupQuery } from "../../services/grouped-results";
import { CATEGORY_LABELS, LEVEL_LABELS } from "../format";

export type RegionOption = { code: string; name: string };

export const GROUP_SORT_LABELS = {
  relevance: "相关度",
  unitPrice: "最低单价从低到高",
  "-discount": "最大降幅从高到低",
} as const;

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
 * Longest text a search field sends. The API takes 100 characters; up to this many the page says so
 * in Chinese. Beyond, a pasted page of text would make a URL over Node's 16 KB of request line and
 * headers (three fields of 400 Chinese characters, percent-encoded: 11 KB), refused before any page.
 */
const TEXT_FIELD_MAX = 400;

function TextField(props: { id: string; label: string; value?: string; placeholder?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type="text"
        value={props.value ?? ""}
        placeholder={props.placeholder}
        autocomplete="off"
        maxlength={TEXT_FIELD_MAX}
      />
    </div>
  );
}

/** The active filters in a few words, shown on the button that folds them. */
export function filterSummary(q: GroupQuery, provinceName: string | null): string {
  const parts = [provinceName ?? "全国", q.includeEnded ? "含已到期" : "执行中"];
  if (q.dosageForm) parts.push(q.dosageForm);
  if (q.spec) parts.push(q.spec);
  if (q.manufacturer) parts.push(q.manufacturer);
  if (q.batch || q.category || q.level) parts.push("更多条件");
  if (q.synthetic) parts.push("含合成数据");
  return parts.join(" · ");
}

/**
 * The search box and its filters. A plain GET form: without JavaScript it searches when submitted;
 * with it, the box offers names as the user types (typeahead.js). The filters fold behind one
 * button (a <details>), open when a filter other than province and state is set.
 */
export function SearchForm(props: { query: GroupQuery; province: string | null; provinces: RegionOption[]; batches: BatchOption[]; dosageForms: string[] }) {
  const q = props.query;
  const provinceName = props.provinces.find((p) => p.code === props.province)?.name ?? null;
  const open = Boolean(q.dosageForm || q.spec || q.manufacturer || q.batch || q.category || q.level || q.sort !== "relevance");
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is newer than some browsers the pages serve; role="search" says the same.
    <form class="panel search-panel" method="get" action="/" role="search" aria-label="查询中选价格">
      <div class="search-row">
        <div class="field">
          <label for="q">药品或耗材</label>
          <div class="combo">
            <input
              id="q"
              name="q"
              type="search"
              value={q.q ?? ""}
              maxlength={TEXT_FIELD_MAX}
              autocomplete="off"
              spellcheck={false}
              role="combobox"
              aria-autocomplete="list"
              aria-controls="q-suggestions"
              aria-expanded="false"
              aria-describedby="q-hint"
              placeholder="如 阿托伐他汀、atfttgp、冠脉支架"
            />
            {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA combobox pattern: its suggestions are a listbox. */}
            <ul id="q-suggestions" role="listbox" aria-label="名称建议" hidden></ul>
          </div>
          <span id="q-hint" class="hint">
            中文名、拼音码、英文名、企业名、医保编码或批准文号
          </span>
        </div>
        <div class="actions">
          <button type="submit">查询</button>
        </div>
      </div>
      <div id="q-status" class="visually-hidden" role="status" aria-live="polite"></div>
      <details class="filter-fold" open={open}>
        <summary>
          <span class="summary-label">筛选</span>
          <span class="summary-value">{filterSummary(q, provinceName)}</span>
        </summary>
        <div class="filters">
          <Select
            id="province"
            label="省份（会记住）"
            value={props.province ?? ""}
            all="全国（不限）"
            options={props.provinces.map((p) => ({ value: p.code, label: p.name }))}
          />
          <div class="field check-field">
            <span class="label">执行状态</span>
            <label class="check" for="include">
              <input id="include" name="include" type="checkbox" value="ended" checked={q.includeEnded} />
              包含已到期和未开始的价格
            </label>
          </div>
          <Select id="dosageForm" label="剂型" value={q.dosageForm} all="全部剂型" options={props.dosageForms.map((f) => ({ value: f, label: f }))} />
          <TextField id="spec" label="规格" value={q.spec} placeholder="如 20mg" />
          <TextField id="manufacturer" label="企业" value={q.manufacturer} placeholder="企业名的一部分" />
          <Select
            id="batch"
            label="批次"
            value={q.batch}
            all="全部批次"
            options={props.batches.filter((b) => q.synthetic || !b.synthetic).map((b) => ({ value: b.id, label: b.synthetic ? `${b.name}（合成）` : b.name }))}
          />
          <Select id="category" label="类别" value={q.category} all="全部类别" options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} />
          <Select id="level" label="级别" value={q.level} all="全部级别" options={LEVELS.map((l) => ({ value: l, label: LEVEL_LABELS[l] }))} />
          <Select id="sort" label="排序" value={q.sort} options={Object.entries(GROUP_SORT_LABELS).map(([value, label]) => ({ value, label }))} />
          <div class="field check-field">
            <span class="label">演示数据</span>
            <label class="check" for="synthetic">
              <input id="synthetic" name="synthetic" type="checkbox" value="1" checked={q.synthetic} />
              包含合成数据
            </label>
          </div>
        </div>
        <div class="actions">
          <button type="submit">应用筛选</button>
          <a href="/" class="button secondary">
            清除条件
          </a>
        </div>
      </details>
    </form>
  );
}
