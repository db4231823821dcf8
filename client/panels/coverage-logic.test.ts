import { describe, expect, it } from 'vitest';
import type { PartyCoverageReport, PartyCoverageRow, PartyOrgIssue } from '../../common/contracts/party-coverage.ts';
import type { StationReachRow } from '../../common/contracts/station-reach.ts';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import {
  DEFAULT_REACH,
  errorMessage,
  exportHrefs,
  orgIssueEntries,
  parseNumberInput,
  partyTableRows,
  percent,
  reachQuery,
  reachTableRows,
} from './coverage-logic.ts';

const row = (
  code: string,
  level: PartyCoverageRow['level'],
  figures: Partial<PartyCoverageRow> = {},
): PartyCoverageRow => ({
  code,
  name: `R${code}`,
  level,
  parent_code: null,
  grids: 4,
  covered: 3,
  uncovered: 1,
  claimedTwice: 0,
  households: 1600,
  householdsCovered: 1200,
  householdsShare: 0.75,
  ...figures,
});

describe('coverage panel logic', () => {
  it('indents streets under the district and communities under streets, totals first', () => {
    const report = {
      region: { code: '131002000000', name: '安次区', level: 'district' },
      regions: [
        row('131002000000', 'district', { householdsShare: 0.9995 }),
        row('131002001000', 'street'),
        row('131002001001', 'community'),
      ],
    } as PartyCoverageReport;
    const rows = partyTableRows(report);
    expect(rows.map((r) => [r.code, r.depth, r.percent])).toEqual([
      ['131002000000', 0, '99.9'],
      ['131002001000', 1, '75.0'],
      ['131002001001', 2, '75.0'],
    ]);
    expect(rows[1]).toMatchObject({ grids: 4, covered: 3, uncovered: 1, claimedTwice: 0 });
  });

  it('puts a street report’s communities at depth 1', () => {
    const report = {
      region: { code: '131002001000', name: 'S', level: 'street' },
      regions: [row('131002001000', 'street'), row('131002001001', 'community')],
    } as PartyCoverageReport;
    expect(partyTableRows(report).map((r) => r.depth)).toEqual([0, 1]);
  });

  it('never shows 100.0 % for a share short of 1, and 0.0 for none', () => {
    expect(percent(0.99999)).toBe('99.9');
    expect(percent(1)).toBe('100.0');
    expect(percent(0)).toBe('0.0');
    expect(percent(0.123)).toBe('12.3');
  });

  it('lists an organisation with both issues once', () => {
    const base = {
      code: 'P1',
      name: '一支部',
      kind: 'branch',
      community_code: 'C1',
      grids: ['G1', 'G3'],
      pieces: 2,
      communities: ['C1', 'C2'],
    } as const;
    const issues: PartyOrgIssue[] = [
      { ...base, grids: [...base.grids], communities: [...base.communities], issue: 'not_contiguous' },
      { ...base, grids: [...base.grids], communities: [...base.communities], issue: 'several_communities' },
      { ...base, code: 'P0', grids: ['G9'], communities: ['C1', 'C3'], issue: 'several_communities' },
    ];
    const entries = orgIssueEntries(issues);
    expect(entries.map((e) => [e.code, e.issues])).toEqual([
      ['P0', ['several_communities']],
      ['P1', ['not_contiguous', 'several_communities']],
    ]);
  });

  it('leaves kinds out of the query when all are counted, joins them otherwise', () => {
    expect(reachQuery('131002001000', DEFAULT_REACH)).toBe('region=131002001000&minutes=3&speed=1.2');
    const two = { ...DEFAULT_REACH, kinds: ['red_post', 'party_service_center'] as typeof DEFAULT_REACH.kinds };
    // In the catalogue's order, whatever order they were ticked in.
    expect(reachQuery('131002001000', two)).toBe(
      'region=131002001000&minutes=3&speed=1.2&kinds=party_service_center%2Cred_post',
    );
    expect(STATION_KINDS.indexOf('party_service_center')).toBeLessThan(STATION_KINDS.indexOf('red_post'));
  });

  it('builds the export links with the current parameters and language', () => {
    const hrefs = exportHrefs('131002000000', { minutes: 5, speed: 1, kinds: ['red_post'] }, 'zh');
    expect(hrefs.xlsx).toBe('/api/reports/coverage.xlsx?region=131002000000&minutes=5&speed=1&kinds=red_post&lang=zh');
    expect(hrefs.geojson).toBe('/api/reports/coverage.geojson?region=131002000000&minutes=5&speed=1&kinds=red_post');
  });

  it('reads typed numbers inside their range only', () => {
    expect(parseNumberInput(' 3 ', 0.5, 60)).toBe(3);
    expect(parseNumberInput('1.2', 0.3, 5)).toBe(1.2);
    expect(parseNumberInput('0', 0.5, 60)).toBeNull();
    expect(parseNumberInput('-1', 0, 60)).toBeNull();
    expect(parseNumberInput('abc', 0, 60)).toBeNull();
    expect(parseNumberInput('2.5', 1, 50, true)).toBeNull();
    expect(parseNumberInput('', 1, 50, true)).toBeNull();
  });

  it('orders reach rows from the least reached', () => {
    const rows: StationReachRow[] = [
      { code: 'B', name: 'b', households: 10, householdsReached: 10, share: 1 },
      { code: 'A', name: 'a', households: 10, householdsReached: 2, share: 0.2 },
    ];
    expect(reachTableRows(rows).map((r) => [r.code, r.percent])).toEqual([
      ['A', '20.0'],
      ['B', '100.0'],
    ]);
  });

  it('tells errors in the user’s words: sign in, forbidden, bad parameter, network, server', () => {
    const http = (status: number, detail: Record<string, unknown> = {}) =>
      Object.assign(new Error('minutes must be a number'), { status, detail });
    expect(errorMessage(http(401)).key).toBe('coverage.error.signIn');
    expect(errorMessage(http(403)).key).toBe('coverage.error.forbidden');
    expect(errorMessage(http(400, { param: 'minutes' }))).toEqual({
      key: 'coverage.error.badParam',
      params: { message: 'minutes must be a number', param: 'minutes' },
    });
    expect(errorMessage(http(502)).key).toBe('coverage.error.server');
    expect(errorMessage(new TypeError('Failed to fetch')).key).toBe('coverage.error.network');
  });
});
