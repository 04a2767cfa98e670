import type { PriceView } from "../../services/price-view";
import { price } from "../format";
import { StateTag } from "./price-state";

type HistoryItem = PriceView & { changeFromPrevious: { chosenPrice: number; pct: number | null } | null };

/**
 * The product's renewals (续约 / 接续采购) as chains: each price linked by `renews` to the one it
 * continues (the API's renews/renewedBy), oldest first. Only prices of this history are linked;
 * a price that neither renews nor is renewed is not a chain.
 */
export function renewalChains<T extends Pick<PriceView, "id" | "renews" | "renewedBy">>(history: T[]): T[][] {
  const byId = new Map(history.map((h) => [h.id, h]));
  const chains: T[][] = [];
  for (const start of history) {
    if (start.renews !== null && byId.has(start.renews)) continue;
    const chain = [start];
    const seen = new Set([start.id]);
    for (
      let next = start.renewedBy === null ? undefined : byId.get(start.renewedBy);
      next && !seen.has(next.id);
      next = next.renewedBy === null ? undefined : byId.get(next.renewedBy)
    ) {
      chain.push(next);
      seen.add(next.id);
    }
    if (chain.length > 1) chains.push(chain);
  }
  return chains;
}

function change(c: HistoryItem["changeFromPrevious"]): string {
  if (!c) return "";
  const sign = c.chosenPrice > 0 ? "+" : c.chosenPrice < 0 ? "−" : "";
  const pct = c.pct === null ? "" : `，${c.pct > 0 ? "+" : c.pct < 0 ? "−" : ""}${Math.abs(c.pct).toFixed(2)} %`;
  return `续约价 ${sign}${price(Math.abs(c.chosenPrice))} 元${pct}`;
}

/** 续约链: each renewal step with its cycle, price, the change from the price it continues and its state. */
export function RenewalChains(props: { history: HistoryItem[]; unit: string }) {
  const chains = renewalChains(props.history);
  if (!chains.length) return null;
  return (
    <div class="renewals" id="renewal-chain">
      <h3>续约链（接续采购）</h3>
      {chains.map((chain) => (
        <ol class="chain">
          {chain.map((h, i) => (
            <li>
              <span class="step">{i === 0 ? "首次中选" : `第 ${i} 次续约`}</span>
              <a href={`/batches/${encodeURIComponent(h.batch.id)}`}>{h.batch.name}</a>
              <span class="note"> {h.cycleStart || h.cycleEnd ? `${h.cycleStart ?? "?"} 至 ${h.cycleEnd ?? "?"}` : "周期未知"}</span>{" "}
              <strong>{price(h.chosenPrice)} 元</strong>
              <span class="note">
                （{price(h.unitPrice)} 元/{props.unit}）
              </span>
              {i > 0 && h.changeFromPrevious ? <span class="note"> {change(h.changeFromPrevious)}</span> : null} <StateTag state={h.state} />
            </li>
          ))}
        </ol>
      ))}
    </div>
  );
}
