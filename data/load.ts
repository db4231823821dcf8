/**
 * Loads a generated dataset into the database (either driver) in one transaction, with
 * batched multi-row inserts, and creates the demo users. `loadDemoIfEmpty` is what a fresh
 * `npm start` calls: it loads data/demo/anci-district.json with its street network
 * (data/demo/roads.geojson, roads with their class) and its water and green areas only into
 * an empty database, so the first map has roads and station reach walks along them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../server/db/schema.ts';
import { stGeomFromGeoJSON, stMultiFromGeoJSON, textArray } from '../server/db/postgis.queries.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import type { Dataset } from './generator/types.ts';
import type { RoadCollection } from './generator/roads.ts';
import { inBatches } from './batches.ts';
import type { UserRole } from '../common/domain.ts';
import { insertDemoCases, type DemoCasesOptions } from './load-cases.ts';
import { DEFAULT_CASE_COUNT } from './generator/cases.ts';

export const DEMO_FILE = fileURLToPath(new URL('./demo/anci-district.json', import.meta.url));
export const DEMO_ROADS_FILE = fileURLToPath(new URL('./demo/roads.geojson', import.meta.url));

export interface LoadOptions {
  /** Password of every demo user (hashed once). */
  demoPassword: string;
  onProgress?: (message: string) => void;
  /** Create the demo users (default true; false when loading more districts of a city). */
  createUsers?: boolean;
  /** The district's street network, stored as the district's roads (with their class). */
  roads?: RoadCollection;
  /** A year of generated cases (data/generator/cases.ts), acted on by the demo users when created; off unless asked. */
  cases?: boolean | DemoCasesOptions;
}

export interface DemoUser {
  username: string;
  display_name: string;
  role: UserRole;
  street_code: string | null;
  community_code: string | null;
  /** A worker's grids (user_grids). */
  grids?: string[];
  /** A department user's department, by name within street_code. */
  department?: string;
}

/** The departments every demo street summons (吹哨), with the hours they have to report back. */
export const DEMO_DEPARTMENTS: readonly { name: string; report_hours: number }[] = [
  { name: '城管', report_hours: 48 },
  { name: '住建', report_hours: 48 },
  { name: '市场监管', report_hours: 48 },
  { name: '派出所', report_hours: 24 },
  { name: '供电', report_hours: 48 },
  { name: '供水', report_hours: 48 },
];

export function demoDepartments(
  dataset: Pick<Dataset, 'regions'>,
): { street_code: string; name: string; report_hours: number }[] {
  return dataset.regions
    .filter((r) => r.level === 'street')
    .flatMap((s) => DEMO_DEPARTMENTS.map((d) => ({ street_code: s.code, ...d })));
}

/**
 * The demo accounts: admin, planner, one editor per street (editor-<street seq>), one worker per
 * full-time grid worker and grid (w + grid code: a person on two grids has two accounts, each
 * bound to its grid), one per community (c + community code) and one per department of a street
 * (d + street code + '-' + n).
 */
export function demoUsers(dataset: Pick<Dataset, 'regions' | 'gridWorkers'>): DemoUser[] {
  const streets = dataset.regions.filter((r) => r.level === 'street');
  const communities = dataset.regions.filter((r) => r.level === 'community');
  const workers = new Map<string, DemoUser>();
  for (const w of dataset.gridWorkers) {
    if (w.role !== 'full_time' || workers.has(w.grid_code)) continue;
    workers.set(w.grid_code, {
      username: `w${w.grid_code}`,
      display_name: w.name,
      role: 'worker',
      street_code: null,
      community_code: null,
      grids: [w.grid_code],
    });
  }
  const none = { street_code: null, community_code: null };
  return [
    { username: 'admin', display_name: '管理员', role: 'admin', ...none },
    { username: 'planner', display_name: '规划员', role: 'planner', ...none },
    ...streets.map((s): DemoUser => ({
      username: `editor-${s.code.slice(6, 9)}`,
      display_name: `${s.name}编辑`,
      role: 'editor',
      street_code: s.code,
      community_code: null,
    })),
    ...workers.values(),
    ...communities.map((c): DemoUser => ({
      username: `c${c.code}`,
      display_name: c.name,
      role: 'community',
      street_code: null,
      community_code: c.code,
    })),
    ...streets.flatMap((s) =>
      DEMO_DEPARTMENTS.map((d, k): DemoUser => ({
        username: `d${s.code}-${k + 1}`,
        display_name: `${s.name}${d.name}`,
        role: 'department',
        street_code: s.code,
        community_code: null,
        department: d.name,
      })),
    ),
  ];
}

export async function loadDataset(db: Kysely<DB>, dataset: Dataset, options: LoadOptions): Promise<void> {
  const progress = options.onProgress ?? (() => {});
  const createUsers = options.createUsers ?? true;
  const passwordHash = createUsers ? await hashPassword(options.demoPassword) : '';
  const started = Date.now();
  // Each table is a step, listed first and run in order at the end of the transaction, so the
  // first start can say how far it is ("3/9") without a count kept by hand.
  const steps: { label: string; count: number; work: () => Promise<void> }[] = [];
  const step = (label: string, count: number, work: () => Promise<void>): Promise<void> => {
    steps.push({ label, count, work });
    return Promise.resolve();
  };
  progress(`Loading ${dataset.meta.districtName} (${dataset.grids.length} grids) …`);
  await db.transaction().execute(async (trx: Transaction<DB>) => {
    const levels = ['district', 'street', 'community'] as const;
    const regions = levels.flatMap((level) => dataset.regions.filter((r) => r.level === level));
    await step('regions', regions.length, () =>
      inBatches(regions, (batch) =>
        trx
          .insertInto('regions')
          .values(batch.map((r) => ({ ...r, geom: stMultiFromGeoJSON(r.geom) })))
          .execute(),
      ),
    );
    await step('compounds', dataset.compounds.length, () =>
      inBatches(dataset.compounds, (batch) =>
        trx
          .insertInto('compounds')
          .values(batch.map((r) => ({ ...r, geom: stMultiFromGeoJSON(r.geom) })))
          .execute(),
      ),
    );
    await step('grids', dataset.grids.length, () =>
      inBatches(dataset.grids, (batch) =>
        trx
          .insertInto('grids')
          .values(batch.map((r) => ({ ...r, geom: stMultiFromGeoJSON(r.geom) })))
          .execute(),
      ),
    );
    await step('buildings', dataset.buildings.length, () =>
      inBatches(dataset.buildings, (batch) =>
        trx
          .insertInto('buildings')
          .values(batch.map((r) => ({ ...r, geom: stGeomFromGeoJSON(r.geom) })))
          .execute(),
      ),
    );
    // Parents before children: committees, then branches, then groups.
    const kinds = ['committee', 'general_branch', 'branch', 'group'] as const;
    const orgs = kinds.flatMap((kind) => dataset.partyOrgs.filter((o) => o.kind === kind));
    await step('party organisations', orgs.length, () =>
      inBatches(orgs, (batch) => trx.insertInto('party_orgs').values(batch).execute()),
    );
    await step('org grids', dataset.orgGrids.length, () =>
      inBatches(dataset.orgGrids, (batch) => trx.insertInto('org_grids').values(batch).execute()),
    );
    await step('stations', dataset.stations.length, () =>
      inBatches(dataset.stations, (batch) =>
        trx
          .insertInto('stations')
          .values(batch.map((r) => ({ ...r, services: textArray(r.services), geom: stGeomFromGeoJSON(r.geom) })))
          .execute(),
      ),
    );
    await step('grid workers', dataset.gridWorkers.length, () =>
      inBatches(dataset.gridWorkers, (batch) => trx.insertInto('grid_workers').values(batch).execute()),
    );
    const landcover = dataset.landcover ?? [];
    await step('water and green', landcover.length, () =>
      inBatches(landcover, (batch) =>
        trx
          .insertInto('landcover')
          .values(batch.map((r) => ({ ...r, geom: stMultiFromGeoJSON(r.geom) })))
          .execute(),
      ),
    );
    const roads = options.roads?.features ?? [];
    await step('roads', roads.length, () =>
      inBatches(roads, (batch) =>
        trx
          .insertInto('roads')
          .values(
            batch.map((f) => ({
              code: f.properties.code,
              name: f.properties.name,
              kind: f.properties.kind,
              class: f.properties.class,
              region_code: dataset.meta.districtCode,
              geom: stGeomFromGeoJSON(f.geometry),
            })),
          )
          .execute(),
      ),
    );
    // The demo's accounts and departments (with users), then its cases: departments and users
    // get their ids back, which the cases' queues and timelines point at.
    const departments = createUsers ? demoDepartments(dataset) : [];
    const users = createUsers ? demoUsers(dataset) : [];
    const departmentIds = new Map<string, number>();
    const userIds = new Map<string, number>();
    if (createUsers) {
      // Marks the data as the synthetic demo (the UI shows a badge, the server lists logins).
      await trx
        .insertInto('settings')
        .values({ key: 'demo', value: 'true' })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'true' }))
        .execute();
      await step('departments', departments.length, async () => {
        const rows = await trx
          .insertInto('departments')
          .values(departments)
          .returning(['id', 'street_code', 'name'])
          .execute();
        for (const r of rows) departmentIds.set(`${r.street_code}/${r.name}`, r.id);
      });
      await step('demo users', users.length, async () => {
        await inBatches(users, async (batch) => {
          const rows = await trx
            .insertInto('users')
            .values(
              batch.map(({ grids: _grids, department, ...u }) => ({
                ...u,
                password_hash: passwordHash,
                department_id: department ? departmentIds.get(`${u.street_code}/${department}`) : null,
              })),
            )
            .returning(['id', 'username'])
            .execute();
          for (const r of rows) userIds.set(r.username, r.id);
        });
        const bindings = users.flatMap((u) =>
          (u.grids ?? []).map((grid_code) => ({ user_id: userIds.get(u.username)!, grid_code })),
        );
        await inBatches(bindings, (batch) => trx.insertInto('user_grids').values(batch).execute());
      });
    }
    if (options.cases) {
      const casesOptions = options.cases === true ? {} : options.cases;
      await step('cases', casesOptions.count ?? DEFAULT_CASE_COUNT, async () => {
        const caseDepartments = users.flatMap((u) => {
          const d = departments.find((x) => x.street_code === u.street_code && x.name === u.department);
          const id = d && departmentIds.get(`${d.street_code}/${d.name}`);
          return d && id
            ? [
                {
                  id,
                  streetCode: d.street_code,
                  name: d.name,
                  reportHours: d.report_hours,
                  actor: { id: userIds.get(u.username)!, label: u.display_name },
                },
              ]
            : [];
        });
        const labels = new Map(users.map((u) => [u.username, u.display_name]));
        await insertDemoCases(trx, dataset, { ...casesOptions, userIds, labels, departments: caseDepartments });
      });
    }
    for (const [i, { label, count, work }] of steps.entries()) {
      progress(
        `正在载入演示数据 ${i + 1}/${steps.length}… / loading the demo data ${i + 1}/${steps.length}: ${label} (${count})`,
      );
      await work();
    }
  });
  progress(`演示数据已载入 / loaded ${dataset.meta.districtName} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export function readDemoDataset(file = DEMO_FILE): Dataset {
  return JSON.parse(readFileSync(file, 'utf8')) as Dataset;
}

export function readDemoRoads(file = DEMO_ROADS_FILE): RoadCollection {
  return JSON.parse(readFileSync(file, 'utf8')) as RoadCollection;
}

/** Load the committed demo district when the regions table is empty; true if it loaded. */
export async function loadDemoIfEmpty(db: Kysely<DB>, options: LoadOptions): Promise<boolean> {
  const any = await db.selectFrom('regions').select('code').limit(1).executeTakeFirst();
  if (any) return false;
  await loadDataset(db, readDemoDataset(), { roads: readDemoRoads(), cases: true, ...options });
  return true;
}
