import { useI18n } from "../i18n/i18n.js";

export interface ChartRow {
  label: string;
  delivered: number | null;
  redeemed: number | null;
}

const COLORS = { delivered: "#1f5fbf", redeemed: "#c25e00" } as const;

/**
 * Delivered and redeemed per target, as grouped horizontal bars (own SVG: two series do not
 * need a chart library). A figure under the threshold (null) is drawn as no bar and says so.
 */
export function ResultsChart({ rows, title }: { rows: ChartRow[]; title: string }) {
  const { t, number } = useI18n();
  const max = Math.max(1, ...rows.flatMap((row) => [row.delivered ?? 0, row.redeemed ?? 0]));
  const labelWidth = 130;
  const width = 520;
  const bar = 14;
  const group = bar * 2 + 14;
  const height = rows.length * group + 10;
  const scale = (value: number) => ((width - labelWidth - 70) * value) / max;
  const text = (value: number | null) => (value === null ? "—" : number(value));
  return (
    <figure className="chart-figure">
      <svg className="chart" role="img" aria-label={title} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        <title>{title}</title>
        {rows.map((row, i) => {
          const y = i * group + 5;
          return (
            <g key={row.label}>
              <text x={0} y={y + bar + 4}>
                {row.label}
              </text>
              <rect x={labelWidth} y={y} width={scale(row.delivered ?? 0)} height={bar} fill={COLORS.delivered} />
              <text x={labelWidth + scale(row.delivered ?? 0) + 4} y={y + bar - 3}>
                {text(row.delivered)}
              </text>
              <rect x={labelWidth} y={y + bar + 2} width={scale(row.redeemed ?? 0)} height={bar} fill={COLORS.redeemed} />
              <text x={labelWidth + scale(row.redeemed ?? 0) + 4} y={y + 2 * bar - 1}>
                {text(row.redeemed)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span>
          <span className="swatch" style={{ background: COLORS.delivered }} aria-hidden="true" />
          {t("requests.delivered")}
        </span>
        <span>
          <span className="swatch" style={{ background: COLORS.redeemed }} aria-hidden="true" />
          {t("requests.redeemed")}
        </span>
      </figcaption>
    </figure>
  );
}
