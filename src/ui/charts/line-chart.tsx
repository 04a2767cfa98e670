export type LinePoint = { label: string; value: number; display: string; detail: string };

const HEIGHT = 230;
const TOP = 30;
const BOTTOM = 40;

/**
 * A one-series line chart (a price over time) drawn on the server. The y axis starts at zero so a
 * drop looks as large as it is; every point carries its number above it and a <title> on hover.
 * x positions are percentages and text is in CSS pixels, so it reads the same on phone and desktop.
 */
export function LineChart(props: { id: string; title: string; description: string; points: LinePoint[]; note?: string }) {
  const { id, points } = props;
  const max = Math.max(0, ...points.map((p) => p.value));
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (v: number) => TOP + (max > 0 ? (1 - v / max) * plot : plot);
  const x = (i: number) => (points.length === 1 ? 50 : 8 + (84 * i) / (points.length - 1));
  const at = (n: number) => `${n.toFixed(3)}%`;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      {points.length === 0 ? (
        <p class="note">没有可画的数据。</p>
      ) : (
        <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} height={HEIGHT} focusable="false">
          <title id={`${id}-title`}>{props.title}</title>
          <desc id={`${id}-desc`}>{props.description}</desc>
          <line class="grid" x1="0" x2="100%" y1={TOP} y2={TOP} />
          <line class="axis" x1="0" x2="100%" y1={TOP + plot} y2={TOP + plot} />
          <text x="0" y={TOP + plot - 4}>
            0
          </text>
          {points.slice(1).map((p, i) => (
            <line x1={at(x(i))} y1={y(points[i]!.value)} x2={at(x(i + 1))} y2={y(p.value)} stroke="#1d4f91" stroke-width="2.5" />
          ))}
          {points.map((p, i) => (
            <g>
              <title>{`${p.detail}：${p.display}`}</title>
              <circle cx={at(x(i))} cy={y(p.value)} r="6" fill="#ffffff" stroke="#1d4f91" stroke-width="3" />
              <text class="value" x={at(x(i))} y={y(p.value) - 12} text-anchor="middle">
                {p.display}
              </text>
              <text x={at(x(i))} y={TOP + plot + 18} text-anchor="middle">
                {p.label}
              </text>
            </g>
          ))}
        </svg>
      )}
      {props.note ? <p class="note">{props.note}</p> : null}
    </figure>
  );
}
