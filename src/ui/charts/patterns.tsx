/**
 * Fills for chart series. The second series is hatched, not just another colour, so the two stay
 * apart for a reader who cannot tell the colours apart or prints the page in black and white.
 */
export type SeriesStyle = "solid" | "hatch";

export const SERIES_COLOURS: Record<SeriesStyle, string> = { solid: "#1d4f91", hatch: "#0b6b3a" };

export function PatternDefs(props: { prefix: string }) {
  return (
    <defs>
      <pattern id={`${props.prefix}-hatch`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
        <rect width="6" height="6" fill="#ffffff" />
        <line x1="0" y1="0" x2="0" y2="6" stroke={SERIES_COLOURS.hatch} stroke-width="3.5" />
      </pattern>
    </defs>
  );
}

export function seriesFill(prefix: string, style: SeriesStyle): string {
  return style === "solid" ? SERIES_COLOURS.solid : `url(#${prefix}-hatch)`;
}

/** A legend entry: a swatch drawn with the series' own fill, and its name in text. */
export function LegendItem(props: { prefix: string; style: SeriesStyle; label: string }) {
  return (
    <span>
      <svg aria-hidden="true" width="22" height="14">
        <PatternDefs prefix={`${props.prefix}-lg`} />
        <rect x="1" y="1" width="20" height="12" fill={seriesFill(`${props.prefix}-lg`, props.style)} stroke={SERIES_COLOURS[props.style]} stroke-width="1.5" />
      </svg>
      {props.label}
    </span>
  );
}
