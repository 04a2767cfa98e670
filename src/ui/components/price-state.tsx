import type { ReferenceKind } from "../../db/schema";
import { PRICE_STATE_LABELS, type PriceState } from "../../domain/state";
import { pct } from "../format";

/**
 * A price's state on the day asked (the services derive it from its cycle with src/domain/state.ts:
 * 未开始 / 执行中 / 已到期 / 周期未知); the pages only put it into words, they have no rule of their own.
 */
export function StateTag(props: { state: PriceState }) {
  return <span class={`tag state state-${props.state}`}>{PRICE_STATE_LABELS[props.state]}</span>;
}

/** Short names of the two baselines, for column headings and phone card labels. */
export const BASELINE_SHORT: Record<ReferenceKind, string> = { ceiling: "对最高申报价", pre_vbp: "对集采前价" };

/** The headers of the two reduction columns (against the ceiling, against the price before procurement), as the price tables head them. */
export function ReductionHeaders() {
  return (
    <>
      <th scope="col" class="num">
        降幅{BASELINE_SHORT.ceiling}
      </th>
      <th scope="col" class="num">
        降幅{BASELINE_SHORT.pre_vbp}
      </th>
    </>
  );
}

type WithBaselines = { baselines: Array<{ kind: ReferenceKind; discountPct: number | null }> };

/** The reduction against one baseline, or null when the price does not carry that baseline. */
export function reductionAgainst(item: WithBaselines, kind: ReferenceKind): number | null {
  return item.baselines.find((b) => b.kind === kind)?.discountPct ?? null;
}

/** One baseline's reduction in a cell: "—" when the source gave no such baseline; a negative one says so. */
export function Reduction(props: { value: number | null }) {
  if (props.value === null) return <span class="note">—</span>;
  return (
    <span class={props.value < 0 ? "bad" : "good"}>
      {pct(props.value)}
      {props.value < 0 ? <span class="tag warn">高于基准</span> : null}
    </span>
  );
}
