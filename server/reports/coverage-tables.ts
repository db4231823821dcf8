/**
 * The coverage report as plain tables (pure): a summary, then grids, organisations, stations
 * and problems. The workbook writer only lays these out; the print view could reuse them.
 */
import type { PartyCoverageRow } from '../../common/contracts/party-coverage.ts';
import type { StationReachRow } from '../../common/contracts/station-reach.ts';
import { reportTime, type CoverageReportData, type ReportOrg } from './coverage-report.ts';
import { formatOpeningHours } from '../../common/rules/opening-hours.ts';
import { listedUnreached } from '../../common/rules/unreached-areas.ts';
import { REPORT_LABELS, type GridPartyStatus, type ProblemKind, type ReportLang } from './report-labels.ts';

/** How a column's numbers are shown: counts, 0–1 shares as percentages, coordinates. */
export type CellFormat = 'text' | 'count' | 'share' | 'coord' | 'decimal';
export type Cell = string | number | null;
export interface TableColumn {
  header: string;
  format: CellFormat;
}
export interface Table {
  name: string;
  columns: TableColumn[];
  rows: Cell[][];
}
export interface SummaryTable extends Table {
  title: string;
  /** Heading of the per-region table. */
  tableTitle: string;
  /** Label, value and format of each line above the per-region table. */
  facts: [string, Cell, CellFormat][];
}
export interface CoverageTables {
  summary: SummaryTable;
  grids: Table;
  orgs: Table;
  stations: Table;
  problems: Table;
}

/** A column: its header, how its numbers are shown, and its cell for one item. */
type Column<T> = [header: string, format: CellFormat, cell: (item: T) => Cell];

/** A table whose headers stand beside the cells they head, so the two cannot drift apart. */
function table<T>(name: string, items: readonly T[], columns: Column<T>[]): Table {
  return {
    name,
    columns: columns.map(([header, format]) => ({ header, format })),
    rows: items.map((item) => columns.map(([, , cell]) => cell(item))),
  };
}

/** Each grid's party status: the party report lists the uncovered and doubly claimed ones. */
export function gridStatuses(data: CoverageReportData): Map<string, GridPartyStatus> {
  const status = new Map<string, GridPartyStatus>(data.grids.map((g) => [g.code, 'covered']));
  for (const f of data.party.problemGrids.features) status.set(f.properties.code, f.properties.status);
  return status;
}

/** An organisation covers its own grids and those of every organisation below it. */
export function orgCoverage(
  orgs: ReportOrg[],
  households: Map<string, number>,
): Map<string, { grids: number; households: number }> {
  const children = new Map<string, ReportOrg[]>();
  for (const o of orgs) if (o.parent_code) children.set(o.parent_code, [...(children.get(o.parent_code) ?? []), o]);
  const gridsOf = (org: ReportOrg, seen: Set<string>, out: Set<string>): Set<string> => {
    if (seen.has(org.code)) return out; // a cycle in bad data must not hang the report
    seen.add(org.code);
    for (const g of org.grids) out.add(g);
    for (const child of children.get(org.code) ?? []) gridsOf(child, seen, out);
    return out;
  };
  const result = new Map<string, { grids: number; households: number }>();
  for (const o of orgs) {
    const grids = gridsOf(o, new Set(), new Set());
    let sum = 0;
    for (const g of grids) sum += households.get(g) ?? 0;
    result.set(o.code, { grids: grids.size, households: sum });
  }
  return result;
}

/** Station reach summed over every community below each region of the party report. */
function reachByRegion(
  regions: PartyCoverageRow[],
  communities: StationReachRow[],
): Map<string, { households: number; reached: number }> {
  const children = new Map<string, string[]>();
  for (const r of regions)
    if (r.parent_code) children.set(r.parent_code, [...(children.get(r.parent_code) ?? []), r.code]);
  const byCommunity = new Map(communities.map((c) => [c.code, c]));
  const total = (code: string): { households: number; reached: number } => {
    const own = byCommunity.get(code);
    if (own) return { households: own.households, reached: own.householdsReached };
    const sum = { households: 0, reached: 0 };
    for (const child of children.get(code) ?? []) {
      const t = total(child);
      sum.households += t.households;
      sum.reached += t.reached;
    }
    return sum;
  };
  return new Map(regions.map((r) => [r.code, total(r.code)]));
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 1);

export function coverageTables(data: CoverageReportData, lang: ReportLang = 'zh'): CoverageTables {
  const L = REPORT_LABELS[lang];
  const { party, reach } = data;
  const name = (code: string) => data.regions[code]?.name ?? code;
  const streetOf = (community: string) => {
    const street = data.regions[community]?.parent_code;
    return street ? name(street) : '';
  };
  const status = gridStatuses(data);
  const gridHouseholds = new Map(data.grids.map((g) => [g.code, g.households]));
  const gridName = new Map(data.grids.map((g) => [g.code, g.name]));
  const reachOfGrid = new Map(reach.grids.map((g) => [g.code, g]));
  const orgName = new Map(data.orgs.map((o) => [o.code, o.name]));
  const top = party.regions.find((r) => r.code === party.region.code) ?? party.regions[0];
  const unreachedHouseholds = reach.unreached.features.reduce((sum, f) => sum + f.properties.households, 0);

  const regionReach = reachByRegion(party.regions, reach.communities);
  const summary: SummaryTable = {
    title: L.summary.title,
    tableTitle: L.summary.byRegion,
    facts: [
      [L.summary.region, `${data.region.name}（${data.region.code}）`, 'text'],
      [L.summary.level, L.level[data.region.level], 'text'],
      [L.summary.generatedAt, `${reportTime(data.generatedAt)} (UTC+8)`, 'text'],
      [L.summary.minutes, reach.minutes, 'decimal'],
      [L.summary.speed, reach.speed, 'decimal'],
      [L.summary.reachM, reach.reachM, 'decimal'],
      [L.summary.method, L.method[reach.method], 'text'],
      [L.summary.kinds, reach.kinds.map((k) => L.stationKind[k]).join(L.listSep), 'text'],
      [L.summary.grids, top?.grids ?? data.grids.length, 'count'],
      [L.summary.covered, top?.covered ?? null, 'count'],
      [L.summary.uncovered, top?.uncovered ?? null, 'count'],
      [L.summary.claimedTwice, top?.claimedTwice ?? null, 'count'],
      [L.summary.households, top?.households ?? null, 'count'],
      [L.summary.householdsCovered, top?.householdsCovered ?? null, 'count'],
      [L.summary.householdsShare, top?.householdsShare ?? null, 'share'],
      [L.summary.reachHouseholds, reach.households, 'count'],
      [L.summary.reached, reach.householdsReached, 'count'],
      [L.summary.reachedShare, reach.share, 'share'],
      [L.summary.unreachedHouseholds, unreachedHouseholds, 'count'],
      [L.summary.unreachedAreas, listedUnreached(reach.unreached.features.map((f) => f.properties)).length, 'count'],
      [L.summary.stations, reach.stations.length, 'count'],
      [L.summary.redundant, reach.redundant.length, 'count'],
    ],
    ...table(
      L.sheets.summary,
      party.regions.map((r) => ({ r, rr: regionReach.get(r.code) ?? { households: 0, reached: 0 } })),
      [
        [L.summary.code, 'text', ({ r }) => r.code],
        [L.summary.name, 'text', ({ r }) => r.name],
        [L.summary.level, 'text', ({ r }) => L.level[r.level]],
        [L.summary.grids, 'count', ({ r }) => r.grids],
        [L.summary.covered, 'count', ({ r }) => r.covered],
        [L.summary.uncovered, 'count', ({ r }) => r.uncovered],
        [L.summary.claimedTwice, 'count', ({ r }) => r.claimedTwice],
        [L.summary.households, 'count', ({ r }) => r.households],
        [L.summary.householdsCovered, 'count', ({ r }) => r.householdsCovered],
        [L.summary.householdsShare, 'share', ({ r }) => r.householdsShare],
        [L.summary.reachHouseholds, 'count', ({ rr }) => rr.households],
        [L.grids.reached(reach.minutes), 'count', ({ rr }) => rr.reached],
        [L.summary.reachedShare, 'share', ({ rr }) => share(rr.reached, rr.households)],
      ],
    ),
  };

  const grids = table(
    L.sheets.grids,
    data.grids.map((g) => ({ g, r: reachOfGrid.get(g.code) })),
    [
      [L.grids.code, 'text', ({ g }) => g.code],
      [L.grids.name, 'text', ({ g }) => g.name],
      [L.grids.street, 'text', ({ g }) => streetOf(g.community_code)],
      [L.grids.community, 'text', ({ g }) => name(g.community_code)],
      [L.grids.kind, 'text', ({ g }) => L.gridKind[g.kind]],
      [L.grids.households, 'count', ({ g }) => g.households],
      [L.grids.orgs, 'text', ({ g }) => g.party_orgs.map((c) => orgName.get(c) ?? c).join(L.listSep)],
      [L.grids.status, 'text', ({ g }) => L.status[status.get(g.code) ?? 'covered']],
      [L.grids.reachHouseholds, 'count', ({ r }) => r?.households ?? null],
      [L.grids.reached(reach.minutes), 'count', ({ r }) => r?.householdsReached ?? null],
      [L.grids.share, 'share', ({ r }) => r?.share ?? null],
    ],
  );

  const coverage = orgCoverage(data.orgs, gridHouseholds);
  const orgs = table(L.sheets.orgs, data.orgs, [
    [L.orgs.code, 'text', (o) => o.code],
    [L.orgs.name, 'text', (o) => o.name],
    [L.orgs.kind, 'text', (o) => L.partyKind[o.kind]],
    [L.orgs.parent, 'text', (o) => (o.parent_code ? (orgName.get(o.parent_code) ?? o.parent_code) : '')],
    [L.orgs.community, 'text', (o) => name(o.community_code)],
    [L.orgs.secretary, 'text', (o) => o.secretary_name ?? ''],
    [L.orgs.members, 'count', (o) => o.member_count],
    [L.orgs.grids, 'count', (o) => coverage.get(o.code)!.grids],
    [L.orgs.households, 'count', (o) => coverage.get(o.code)!.households],
  ]);

  const reachOfStation = new Map(reach.stations.map((s) => [s.code, s]));
  const redundant = new Set(reach.redundant);
  const stations = table(
    L.sheets.stations,
    data.stations.map((s) => ({ s, r: reachOfStation.get(s.code) })),
    [
      [L.stations.code, 'text', ({ s }) => s.code],
      [L.stations.name, 'text', ({ s }) => s.name],
      [L.stations.kind, 'text', ({ s }) => L.stationKind[s.kind]],
      [L.stations.address, 'text', ({ s }) => s.address],
      [L.stations.hours, 'text', ({ s }) => formatOpeningHours(s.opening_hours, lang)],
      [L.stations.phone, 'text', ({ s }) => s.phone ?? ''],
      [L.stations.lon, 'coord', ({ s }) => s.lon],
      [L.stations.lat, 'coord', ({ s }) => s.lat],
      [L.stations.counted, 'text', ({ r }) => (r ? L.yes : L.no)],
      [L.stations.households, 'count', ({ r }) => r?.households ?? null],
      [L.stations.onlyHere, 'count', ({ r }) => r?.householdsOnlyHere ?? null],
      [L.stations.redundant, 'text', ({ s, r }) => (r ? (redundant.has(s.code) ? L.yes : L.no) : '')],
    ],
  );

  interface ProblemRow {
    kind: ProblemKind;
    code: string;
    label: string;
    community: string;
    households: number | null;
    detail: string;
    at?: [number, number] | undefined;
  }
  const problem = (
    kind: ProblemKind,
    code: string,
    label: string,
    community: string,
    households: number | null,
    detail: string,
    at?: [number, number],
  ): ProblemRow => ({ kind, code, label, community, households, detail, at });
  const problemRows: ProblemRow[] = [];
  for (const f of party.problemGrids.features) {
    const p = f.properties;
    problemRows.push(
      problem(
        p.status,
        p.code,
        p.name,
        p.community_code,
        p.households,
        p.status === 'claimed_twice' ? L.detail.orgs(p.party_orgs.map((c) => orgName.get(c) ?? c)) : '',
        data.gridPoints[p.code],
      ),
    );
  }
  for (const o of party.orgIssues) {
    const households = o.grids.reduce((sum, g) => sum + (gridHouseholds.get(g) ?? 0), 0);
    const detail =
      o.issue === 'not_contiguous' ? L.detail.pieces(o.pieces) : L.detail.communities(o.communities.map(name));
    problemRows.push(
      problem(
        o.issue,
        o.code,
        o.name,
        o.community_code,
        households,
        `${detail}${L.clauseSep}${o.grids.map((g) => gridName.get(g) ?? g).join(L.listSep)}`,
      ),
    );
  }
  const stationByCode = new Map(data.stations.map((s) => [s.code, s]));
  for (const code of reach.redundant) {
    const s = reachOfStation.get(code);
    problemRows.push(
      problem(
        'redundant_station',
        code,
        s?.name ?? code,
        stationByCode.get(code)?.region_code ?? '',
        s?.households ?? null,
        L.detail.station(s ? L.stationKind[s.kind] : '', s?.households ?? 0),
        s && [s.lon, s.lat],
      ),
    );
  }
  const unreached = listedUnreached(
    reach.unreached.features.map((f, i) => ({ ...f.properties, at: data.unreachedPoints[i] })),
  ).sort((a, b) => b.households - a.households);
  for (const p of unreached) {
    problemRows.push(
      problem(
        'unreached',
        '',
        name(p.community_code),
        p.community_code,
        p.households,
        L.detail.unreached(p.buildings, p.areaM2),
        p.at,
      ),
    );
  }
  const problems = table(L.sheets.problems, problemRows, [
    [L.problems.kind, 'text', (p) => L.problemKind[p.kind]],
    [L.problems.code, 'text', (p) => p.code],
    [L.problems.name, 'text', (p) => p.label],
    [L.problems.community, 'text', (p) => (p.community ? name(p.community) : '')],
    [L.problems.households, 'count', (p) => p.households],
    [L.stations.lon, 'coord', (p) => p.at?.[0] ?? null],
    [L.stations.lat, 'coord', (p) => p.at?.[1] ?? null],
    [L.problems.detail, 'text', (p) => p.detail],
  ]);

  return { summary, grids, orgs, stations, problems };
}
