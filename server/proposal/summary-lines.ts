/**
 * A proposal's summary as terminal lines, Chinese label first and English after it (the
 * figures the editor's 智能划格 panel shows). Pure: `npm run propose` prints these.
 */
import type { ProposalProblem, ProposalSummary } from '../../common/contracts/proposals.ts';
import type { ProposalResult } from './propose.ts';

type Labelled = [label: string, value: (s: ProposalSummary) => string];

const LINES: Labelled[] = [
  ['网格 grids', (s) => String(s.grids)],
  ['住宅网格 residential grids', (s) => String(s.residential)],
  ['户数达标 in band', (s) => `${s.inBand} / ${s.residential}`],
  [
    '户数 最少/中位/最多 households min/median/max',
    (s) => `${s.householdsMin} / ${s.householdsMedian} / ${s.householdsMax}`,
  ],
  ['总户数 households', (s) => String(s.households)],
  ['紧凑度中位数 compactness (Polsby–Popper, median)', (s) => s.compactnessMedian.toFixed(3)],
  ['穿越道路 roads crossed', (s) => String(s.roadsCrossed)],
  ['拆分小区 compounds split', (s) => String(s.compoundsSplit)],
  ['切割楼栋 buildings cut', (s) => String(s.buildingsCut)],
  ['改动网格 grids changed', (s) => String(s.gridsChanged)],
  ['撤销网格 grids retired', (s) => String(s.gridsRetired)],
  ['换格户数 households moved', (s) => String(s.householdsMoved)],
];

/** Pad by display width: CJK characters take two terminal columns. */
function pad(text: string, width: number): string {
  const w = [...text].reduce((sum, ch) => sum + (/[\u2000-\u206f\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(1, width - w));
}

const MODES = { fresh: '重新划分 fresh', rebalance: '调整 rebalance' } as const;

const problemLine = (p: ProposalProblem) => `  ! ${p.message} · ${p.message_en}`;

/** The summary of a computed proposal, one line each, then its problems (the band not met, and why). */
export function summaryLines(p: ProposalResult): string[] {
  const lines = [
    `${p.scope.name} (${p.scope.code}): ${MODES[p.mode]}, seed ${p.seed}, ` +
      `户数范围 households ${p.bounds.min}–${p.bounds.max}, ${p.tookMs} ms`,
    '',
    ...LINES.map(([label, value]) => `  ${pad(label, 52)}${value(p.summary)}`),
  ];
  lines.push('');
  if (p.problems.length === 0) lines.push('每个住宅网格户数达标 · Every residential grid is within the band.');
  else {
    lines.push(`${p.problems.length} 处无法达标 · ${p.problems.length} case(s) where the band cannot be met:`);
    lines.push(...p.problems.map(problemLine));
  }
  return lines;
}

/** What --json prints: the proposal without its outlines. */
export function summaryJson(p: ProposalResult) {
  return {
    scope: p.scope,
    mode: p.mode,
    seed: p.seed,
    bounds: p.bounds,
    summary: p.summary,
    problems: p.problems,
    grids: p.grids.map(({ geometry: _geometry, ...g }) => g),
    retired: p.retired,
    tookMs: p.tookMs,
  };
}
