/** Gathers a region's coverage report from the database: party coverage, station reach, the rows. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { listPartyOrgs } from '../party/party.queries.ts';
import { partyCoverage } from '../party-coverage/party-coverage.ts';
import { stationReach } from '../station-reach/station-reach.ts';
import { pointsOnSurface, reportRegions, reportGrids, reportStations } from './report.queries.ts';
import type { CoverageReportData } from './coverage-report.ts';
import type { ReportOptions } from './report-params.ts';

export async function loadCoverageReport(
  db: Kysely<DB>,
  options: Omit<ReportOptions, 'lang'> & { geometry: boolean },
  progress: (step: string) => void = () => {},
): Promise<CoverageReportData> {
  const generatedAt = new Date();
  const regions = await reportRegions(db, options.region);
  if (!regions[options.region]) throw notFound('region', options.region);
  progress('party coverage');
  const party = await partyCoverage(db, options.region);
  progress('station reach');
  // The report always lists the unreached areas, even for a whole district.
  const reach = await stationReach(
    db,
    { region: options.region, minutes: options.minutes, speed: options.speed, kinds: options.kinds },
    { areas: true },
  );
  progress('grids, organisations and stations');
  const grids = await reportGrids(db, options.region, options.geometry);
  const orgs = await listPartyOrgs(db, options.region);
  const stations = await reportStations(
    db,
    options.region,
    reach.stations.map((s) => s.code),
  );
  const problemGrids = party.problemGrids.features;
  const points = await pointsOnSurface(db, [
    ...problemGrids.map((f) => f.geometry),
    ...reach.unreached.features.map((f) => f.geometry),
  ]);
  const gridPoints = Object.fromEntries(problemGrids.map((f, i) => [f.properties.code, points[i]!]));
  const unreachedPoints = points.slice(problemGrids.length);
  return {
    generatedAt,
    region: party.region,
    regions,
    party,
    reach,
    grids,
    orgs,
    stations,
    gridPoints,
    unreachedPoints,
  };
}
