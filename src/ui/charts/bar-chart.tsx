import { LegendItem, PatternDefs, SERIES_COLOURS, type SeriesStyle, seriesFill } from "./patterns";

export type BarSeries = { label: string; style: SeriesStyle };
export type BarRow = { label: string; values: Array<number | null>; displays: string[] };

const LABEL_HEIGHT = 18;
const BAR_HEIGHT = 16;
const BAR_GAP = 4;
const ROW_GAP = 10;
/** Bars use at most this share of the width; the rest holds the number written beside each bar. */
const MAX_BAR_PCT = 60;

/**
 * A horizontal bar chart drawn on the server. Each row's label sits above its bars and each bar's
 * number beside it, in CSS pixels, while bar lengths are percentages of the width: the chart stays
 * legible from a 390-pixel phone to a desktop. Hovering a bar shows its <title>. With two series the
 * second is hatched (see patterns.tsx) and always drawn second, and the legend names both.
 */
export function BarChart(props: { id: string; title: string; description: string; series: BarSeries[]; rows: BarRow[]; note?: string }) {
  const { id, series, rows } = props;
  const max = Math.max(0, ...rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const rowHeight = LABEL_HEIGHT + series.length * (BAR_HEIGHT + BAR_GAP) + ROW_GAP;
  const height = rows.length * rowHeight + 4;
  return (
    <figure class="chart">
      <figcaption id={`${id}-caption`}>{props.title}</figcaption>
      {rows.length === 0 ? (
        <p class="note">没有可画的数据。</p>
      ) : (
        <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} height={height} focusable="false">
          <title id={`${id}-title`}>{props.title}</title>
          <desc id={`${id}-desc`}>{props.description}</desc>
          <PatternDefs prefix={id} />
          {rows.map((row, r) => {
            const top = r * rowHeight;
            return (
              <g>
                <text x="0" y={top + 13}>
                  {row.label}
                </text>
                {series.map((s, i) => {
                  const value = row.values[i] ?? null;
                  const width = value !== null && value > 0 && max > 0 ? (value / max) * MAX_BAR_PCT : 0;
                  const y = top + LABEL_HEIGHT + i * (BAR_HEIGHT + BAR_GAP);
                  const display = row.displays[i] ?? "—";
                  return (
                    <g>
                      <title>{`${row.label} · ${s.label}：${display}`}</title>
                      <rect
                        x="0"
                        y={y}
                        width={`${width.toFixed(3)}%`}
                        height={BAR_HEIGHT}
                        fill={seriesFill(id, s.style)}
                        stroke={SERIES_COLOURS[s.style]}
                        stroke-width="1"
                      />
                      <text class="value" x={`${width.toFixed(3)}%`} dx="6" y={y + 12.5}>
                        {display}
                      </text>
                    </g>
                  );
                })}
              </g>
            );
          })}
        </svg>
      )}
      {series.length > 1 ? (
        <div class="legend" aria-hidden="true">
          {series.map((s) => (
            <LegendItem prefix={id} style={s.style} label={s.label} />
          ))}
        </div>
      ) : null}
      {props.note ? <p class="note">{props.note}</p> : null}
    </figure>
  );
}
