import { barX, plot, ruleX, text } from '@observablehq/plot';
import { useEffect, useId, useRef, useState } from 'react';

export type ChartRow = { code: string; label: string; value: number; hours?: number };

/** A row: its label (LABEL_SPACE_PX) above its bar. */
const ROW_HEIGHT = 52;
const LABEL_SPACE_PX = 20;
const FONT_SIZE_PX = 14;
const MIN_WIDTH = 280;

/**
 * One dashboard figure as a horizontal bar chart (Observable Plot, SVG) with a table view of the same
 * numbers. The chart draws in the text colour, so it follows high-contrast and forced-colours modes,
 * and each bar carries its number, so nothing is told by colour alone. Screen readers get the table
 * in both views: the chart is hidden from them, the table visually hidden in chart view.
 */
export function FigureChart({
  title,
  rows,
  valueTitle,
  hoursTitle,
  hideZeroRowsInChart = true,
}: {
  title: string;
  rows: readonly ChartRow[];
  valueTitle: string;
  /** Column title for hours, when the rows carry them. */
  hoursTitle?: string;
  hideZeroRowsInChart?: boolean;
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const headingId = useId();
  const charted = hideZeroRowsInChart ? rows.filter((row) => row.value > 0) : [...rows];
  const showHours = hoursTitle !== undefined && rows.some((row) => row.hours !== undefined);

  return (
    <section className="figure" aria-labelledby={headingId}>
      <div className="figure__header">
        <h3 id={headingId}>{title}</h3>
        <div className="figure__views" role="group" aria-label={`Show ${title} as`}>
          <button
            type="button"
            className="button button--secondary"
            aria-pressed={view === 'chart'}
            onClick={() => setView('chart')}
          >
            Chart
          </button>
          <button
            type="button"
            className="button button--secondary"
            aria-pressed={view === 'table'}
            onClick={() => setView('table')}
          >
            Table
          </button>
        </div>
      </div>
      {view === 'chart' ? (
        charted.length === 0 ? (
          <p className="hint">None in this period.</p>
        ) : (
          <BarChart rows={charted} valueTitle={valueTitle} />
        )
      ) : null}
      <table className={view === 'chart' ? 'visually-hidden' : 'figure__table'}>
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{title}</th>
            <th scope="col" className="numeric">
              {valueTitle}
            </th>
            {showHours ? (
              <th scope="col" className="numeric">
                {hoursTitle}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.code}>
              <th scope="row">{row.label}</th>
              <td className="numeric">{row.value}</td>
              {showHours ? <td className="numeric">{row.hours ?? ''}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function BarChart({ rows, valueTitle }: { rows: readonly ChartRow[]; valueTitle: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = container.current;
    if (!element || width === 0) return;
    const chartWidth = Math.max(MIN_WIDTH, width);
    const largest = Math.max(1, ...rows.map((row) => row.value));
    // Each row's label sits above its bar, across the whole width, so long labels (ethnicities,
    // employment statuses) are not cut to a narrow margin on a phone.
    const chart = plot({
      width: chartWidth,
      height: rows.length * ROW_HEIGHT + 40,
      marginLeft: 4,
      marginRight: 48,
      style: { fontSize: `${FONT_SIZE_PX}px`, background: 'transparent', color: 'inherit' },
      // Whole numbers only, and a scale that still starts at 0 when every value is 0.
      x: {
        label: valueTitle,
        grid: true,
        domain: [0, largest],
        ticks: Math.min(largest, 5),
        tickFormat: 'd',
      },
      y: { axis: null, domain: rows.map((row) => row.label), paddingInner: 0.15, paddingOuter: 0 },
      marks: [
        barX(rows, { x: 'value', y: 'label', fill: 'currentColor', insetTop: LABEL_SPACE_PX }),
        text(rows, {
          frameAnchor: 'left',
          y: 'label',
          text: 'label',
          textAnchor: 'start',
          dy: -(ROW_HEIGHT - LABEL_SPACE_PX) / 2 + 2,
          fill: 'currentColor',
          lineWidth: (chartWidth - 60) / FONT_SIZE_PX,
          textOverflow: 'ellipsis-end',
        }),
        text(rows, {
          x: 'value',
          y: 'label',
          text: (row: ChartRow) => String(row.value),
          textAnchor: 'start',
          dx: 4,
          dy: LABEL_SPACE_PX / 2,
          fill: 'currentColor',
          fontWeight: 700,
        }),
        ruleX([0]),
      ],
    });
    chart.setAttribute('aria-hidden', 'true');
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [rows, valueTitle, width]);

  return <div ref={container} className="figure__chart" />;
}
