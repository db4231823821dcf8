/** The grid-proposal bench's tables (bench/proposal.ts), as printed by `npm run bench`. */
import type { ProblemCount, ProposalBenchResult, QualityRow } from './proposal-types.ts';

const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(1)} %` : '—');
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '—');
const ms = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '—' : x < 100 ? x.toFixed(1) : x.toFixed(0);

const problemsText = (problems: ProblemCount[]) =>
  problems.length === 0 ? 'none' : problems.map((p) => `${p.count} ${p.kind} (e.g. ${p.example})`).join('; ');

function qualityTable(rows: QualityRow[]): string[] {
  const lines = [
    '| driver | case | planner | grids | in band | median PP | roads crossed | compounds split | non-contiguous | time (ms) | planner (ms) | ≈3,000-household community (ms) | peak RSS (MB) | heap Δ (MB) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const community = r.communityMs === undefined ? '—' : `${ms(r.communityMs)} (${r.communityHouseholds} hh)`;
    lines.push(
      `| ${r.driver} | ${r.case} | ${r.algorithm} | ${r.grids} | ${r.inBand}/${r.residential} (${pct(r.inBand, r.residential)}) | ` +
        `${r.ppMedian.toFixed(3)} | ${r.roadsCrossed} | ${r.compoundsSplit} | ${r.nonContiguous} | ${ms(r.ms)} | ${ms(r.planMs)} | ` +
        `${community} | ${r.peakRssMB.toFixed(0)} | ${r.heapDeltaMB.toFixed(0)} |`,
    );
  }
  return lines;
}

/** Baseline ÷ proposal per case: > 1× means the proposal is better for roads and splits, faster for time. */
function ratioTable(rows: QualityRow[]): string[] {
  const lines = [
    '| driver | case | baseline | in band (proposal / baseline) | median PP (proposal / baseline) | roads crossed (baseline / proposal) | compounds split (baseline / proposal) | time (baseline / proposal) |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const p of rows.filter((r) => r.algorithm === 'proposal')) {
    for (const b of rows.filter((r) => r.algorithm !== 'proposal' && r.driver === p.driver && r.case === p.case)) {
      const share = (r: QualityRow) => (r.residential > 0 ? r.inBand / r.residential : 0);
      lines.push(
        `| ${p.driver} | ${p.case} | ${b.algorithm} | ${ratio(share(p), share(b))} | ${ratio(p.ppMedian, b.ppMedian)} | ` +
          `${ratio(b.roadsCrossed, p.roadsCrossed)} | ${ratio(b.compoundsSplit, p.compoundsSplit)} | ${ratio(b.ms, p.ms)} |`,
      );
    }
  }
  return lines;
}

export function proposalTables(result: ProposalBenchResult): string {
  const lines = [
    'Grid proposals (issue 19) · proposal vs turf k-means (k = ⌈H/400⌉) vs greedy floor-only growth (max-p style) · band 300–500 · medians',
    '',
    ...qualityTable(result.quality),
    '',
    'Ratios',
    '',
    ...ratioTable(result.quality),
    '',
    'Rebalance of the demo district (street by street, proposal only)',
    '',
    '| driver | out-of-band grids fixed | residential in band | grids changed (changed + new + retired) | regions the planner changed | households moved | time (ms) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...result.rebalance.map(
      (r) =>
        `| ${r.driver} | ${r.fixed.length}/${r.outOfBandBefore.length} | ${r.inBand}/${r.residential} | ` +
        `${r.gridsChanged} (${r.changed} + ${r.added} + ${r.retired}) | ${r.plannerChanged} | ${r.householdsMoved} | ${ms(r.ms)} |`,
    ),
    '',
    'Infeasible cases reported (problems), per driver and case:',
    ...result.quality
      .filter((r) => r.algorithm === 'proposal')
      .map((r) => `- ${r.driver}, ${r.case}: ${problemsText(r.problems)}`),
    ...result.rebalance.map((r) => `- ${r.driver}, demo rebalance: ${problemsText(r.problems)}`),
    '',
    'Loads: ' +
      result.loads.map((l) => `${l.driver} ${l.case} (${l.buildings} buildings) ${l.seconds.toFixed(1)} s`).join('; '),
  ];
  return lines.join('\n');
}
