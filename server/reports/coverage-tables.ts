/**
 * The coverage report as plain tables (pure): a summary, then grids, organisations, stations
 * and problems. The workbook writer only lays these out; the print view could reuse them.
 */
import type { PartyCoverageRow } from '../../common/contracts/party-coverage.ts';
import type { StationReachRow } from '../../common/contracts/station-reach.ts';
import { reportTime, type CoverageReportData, type ReportOrg } from './coverage-report.ts';
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

const col = (header: string, format: CellFormat = 'text'): TableColumn => ({ header, format });

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
    name: L.sheets.summary,
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
      [L.summary.stations, reach.stations.length, 'count'],
      [L.summary.redundant, reach.redundant.length, 'count'],
    ],
    columns: [
      col(L.summary.code),
      col(L.summary.name),
      col(L.summary.level),
      col(L.summary.grids, 'count'),
      col(L.summary.covered, 'count'),
      col(L.summary.uncovered, 'count'),
      col(L.summary.claimedTwice, 'count'),
      col(L.summary.households, 'count'),
      col(L.summary.householdsCovered, 'count'),
      col(L.summary.householdsShare, 'share'),
      col(L.summary.reachHouseholds, 'count'),
      col(L.grids.reached(reach.minutes), 'count'),
      col(L.summary.reachedShare, 'share'),
    ],
    rows: party.regions.map((r) => {
      const rr = regionReach.get(r.code) ?? { households: 0, reached: 0 };
      return [
        r.code,
        r.name,
        L.level[r.level],
        r.grids,
        r.covered,
        r.uncovered,
        r.claimedTwice,
        r.households,
        r.householdsCovered,
        r.householdsShare,
        rr.households,
        rr.reached,
        share(rr.reached, rr.households),
      ];
    }),
  };

  const grids: Table = {
    name: L.sheets.grids,
    columns: [
      col(L.grids.code),
      col(L.grids.name),
      col(L.grids.street),
      col(L.grids.community),
      col(L.grids.kind),
      col(L.grids.households, 'count'),
      col(L.grids.orgs),
      col(L.grids.status),
      col(L.grids.reachHouseholds, 'count'),
      col(L.grids.reached(reach.minutes), 'count'),
      col(L.grids.share, 'share'),
    ],
    rows: data.grids.map((g) => {
      const r = reachOfGrid.get(g.code);
      return [
        g.code,
        g.name,
        streetOf(g.community_code),
        name(g.community_code),
        L.gridKind[g.kind],
        g.households,
        g.party_orgs.map((c) => orgName.get(c) ?? c).join(L.listSep),
        L.status[status.get(g.code) ?? 'covered'],
        r?.households ?? null,
        r?.householdsReached ?? null,
        r?.share ?? null,
      ];
    }),
  };

  const coverage = orgCoverage(data.orgs, gridHouseholds);
  const orgs: Table = {
    name: L.sheets.orgs,
    columns: [
      col(L.orgs.code),
      col(L.orgs.name),
      col(L.orgs.kind),
      col(L.orgs.parent),
      col(L.orgs.community),
      col(L.orgs.secretary),
      col(L.orgs.members, 'count'),
      col(L.orgs.grids, 'count'),
      col(L.orgs.households, 'count'),
    ],
    rows: data.orgs.map((o) => [
      o.code,
      o.name,
      L.partyKind[o.kind],
      o.parent_code ? (orgName.get(o.parent_code) ?? o.parent_code) : '',
      name(o.community_code),
      o.secretary_name ?? '',
      o.member_count,
      coverage.get(o.code)!.grids,
      coverage.get(o.code)!.households,
    ]),
  };

  const reachOfStation = new Map(reach.stations.map((s) => [s.code, s]));
  const redundant = new Set(reach.redundant);
  const stations: Table = {
    name: L.sheets.stations,
    columns: [
      col(L.stations.code),
      col(L.stations.name),
      col(L.stations.kind),
      col(L.stations.address),
      col(L.stations.hours),
      col(L.stations.phone),
      col(L.stations.lon, 'coord'),
      col(L.stations.lat, 'coord'),
      col(L.stations.counted),
      col(L.stations.households, 'count'),
      col(L.stations.onlyHere, 'count'),
      col(L.stations.redundant),
    ],
    rows: data.stations.map((s) => {
      const r = reachOfStation.get(s.code);
      return [
        s.code,
        s.name,
        L.stationKind[s.kind],
        s.address,
        s.opening_hours,
        s.phone ?? '',
        s.lon,
        s.lat,
        r ? L.yes : L.no,
        r?.households ?? null,
        r?.householdsOnlyHere ?? null,
        r ? (redundant.has(s.code) ? L.yes : L.no) : '',
      ];
    }),
  };

  const problem = (
    kind: ProblemKind,
    code: string,
    label: string,
    community: string,
    households: number | null,
    detail: string,
    at?: [number, number],
  ): Cell[] => [
    L.problemKind[kind],
    code,
    label,
    community ? name(community) : '',
    households,
    at?.[0] ?? null,
    at?.[1] ?? null,
    detail,
  ];
  const problemRows: Cell[][] = [];
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
  const unreached = reach.unreached.features
    .map((f, i) => ({ ...f.properties, at: data.unreachedPoints[i] }))
    .filter((p) => p.households > 0)
    .sort((a, b) => b.households - a.households);
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
  const problems: Table = {
    name: L.sheets.problems,
    columns: [
      col(L.problems.kind),
      col(L.problems.code),
      col(L.problems.name),
      col(L.problems.community),
      col(L.problems.households, 'count'),
      col(L.stations.lon, 'coord'),
      col(L.stations.lat, 'coord'),
      col(L.problems.detail),
    ],
    rows: problemRows,
  };

  return { summary, grids, orgs, stations, problems };
}
