/**
 * The monthly trend of the case dashboard, drawn by hand in SVG: 受理 and 办结 bars side by side
 * and the 满意率 line on its own scale. One chart does not earn a chart library (and its CSP needs).
 */
import type { CaseStats } from '../../common/contracts/cases.ts';
import { t } from '../i18n/index.ts';
import { formatRate, trendGeometry } from './case-stats-logic.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 440;
const HEIGHT = 180;
const PAD = { left: 34, right: 34, top: 10, bottom: 22 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** '2026-03' → 3月 (Mar); January shows its year, so a year that starts mid-chart is visible. */
function monthLabel(month: string): string {
  const [year, m] = month.split('-');
  const label = t('caseStats.month', { month: Number(m) });
  return m === '01' ? `${year}.${label}` : label;
}

export function trendChart(trend: CaseStats['trend']): SVGSVGElement {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const { bars, max, rateFloor } = trendGeometry(trend, plotW, plotH);
  const root = svg('svg', {
    id: 'case-trend',
    class: 'case-trend',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': t('caseStats.trendLabel'),
    'data-months': trend.length,
  });
  const plot = svg('g', { transform: `translate(${PAD.left},${PAD.top})` });
  root.append(plot);
  // Axes: counts on the left, satisfaction on the right.
  for (const [value, label] of [
    [0, '0'],
    [max / 2, String(max / 2)],
    [max, String(max)],
  ] as const) {
    const y = plotH - (value / max) * plotH;
    plot.append(svg('line', { x1: 0, x2: plotW, y1: y, y2: y, class: 'grid-line' }));
    plot.append(svg('text', { x: -4, y: y + 3, class: 'axis left' }, label));
  }
  for (const rate of [rateFloor, 1]) {
    const y = plotH - ((rate - rateFloor) / (1 - rateFloor)) * plotH;
    plot.append(svg('text', { x: plotW + 4, y: y + 3, class: 'axis right' }, formatRate(rate).replace('.0', '')));
  }
  const every = Math.ceil(bars.length / 12);
  bars.forEach((bar, i) => {
    const month = trend[i]!;
    const group = svg('g', { class: 'month', 'data-month': bar.month });
    const title = svg(
      'title',
      {},
      t('caseStats.trendTip', {
        month: bar.month,
        accepted: month.accepted,
        closed: month.closed,
        rate: formatRate(month.satisfactionRate),
      }),
    );
    group.append(
      title,
      svg('rect', { x: bar.x, y: bar.acceptedY, width: bar.width, height: bar.acceptedHeight, class: 'bar accepted' }),
      svg('rect', {
        x: bar.x + bar.width,
        y: bar.closedY,
        width: bar.width,
        height: bar.closedHeight,
        class: 'bar closed',
      }),
    );
    if (i % every === 0)
      group.append(
        svg('text', { x: bar.x + bar.width, y: plotH + 14, class: 'axis month-label' }, monthLabel(bar.month)),
      );
    plot.append(group);
  });
  const points = bars
    .filter((bar) => bar.rateY !== null)
    .map((bar) => `${(bar.x + bar.width).toFixed(1)},${bar.rateY!.toFixed(1)}`);
  if (points.length > 0) {
    plot.append(svg('polyline', { points: points.join(' '), class: 'rate-line' }));
    for (const point of points) {
      const [cx, cy] = point.split(',');
      plot.append(svg('circle', { cx: cx!, cy: cy!, r: 2.5, class: 'rate-dot' }));
    }
  }
  return root;
}
