/**
 * The demo's year of cases (data/generator/cases.ts) into the database: the generator's input
 * from the dataset and the accounts just created, then batched multi-row inserts of cases (their
 * ids returned) and of their timelines. The stats trigger of migration 0011 fills
 * case_daily_stats as the rows go in; the ticket sequence is set past the generated tickets so
 * live intake goes on from there. Tokens: the hash of a random token nobody was given.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../server/db/schema.ts';
import {
  generateCases,
  type CaseDepartmentInput,
  type CaseGeneratorInput,
  type GeneratedCase,
} from './generator/cases.ts';
import type { Dataset } from './generator/types.ts';

/** The accounts just created (ids and display names by username), and the departments with their users. */
export interface DemoCaseAccounts {
  userIds: ReadonlyMap<string, number>;
  /** Display names by username: the label of the timeline's entries. */
  labels: ReadonlyMap<string, string>;
  departments: readonly CaseDepartmentInput[];
}

export interface DemoCasesOptions {
  now?: Date;
  seed?: number;
  count?: number;
}

/** The generator's input for a dataset: grids weighted by population, the accounts by code. */
export function demoCaseInput(
  dataset: Pick<Dataset, 'regions' | 'grids' | 'meta'>,
  categories: CaseGeneratorInput['categories'],
  accounts: DemoCaseAccounts,
  options: DemoCasesOptions = {},
): CaseGeneratorInput {
  const regions = new Map(dataset.regions.map((r) => [r.code, r]));
  const actor = (username: string) => {
    const id = accounts.userIds.get(username);
    return id === undefined ? [] : [{ id, label: accounts.labels.get(username) ?? username }];
  };
  const streets = dataset.regions.filter((r) => r.level === 'street');
  const communities = dataset.regions.filter((r) => r.level === 'community');
  const byCode = (codes: readonly string[], username: (code: string) => string) =>
    Object.fromEntries(codes.flatMap((code) => actor(username(code)).map((a) => [code, a])));
  return {
    grids: dataset.grids.map((g) => {
      const community = regions.get(g.community_code)!;
      return {
        code: g.code,
        name: g.name,
        communityCode: community.code,
        communityName: community.name,
        streetCode: community.parent_code!,
        districtCode: dataset.meta.districtCode,
        weight: Math.max(g.population, 300),
        geom: g.geom,
      };
    }),
    departments: accounts.departments,
    categories,
    actors: {
      worker: byCode(
        dataset.grids.map((g) => g.code),
        (code) => `w${code}`,
      ),
      community: byCode(
        communities.map((c) => c.code),
        (code) => `c${code}`,
      ),
      street: byCode(
        streets.map((st) => st.code),
        (code) => `editor-${code.slice(6, 9)}`,
      ),
    },
    now: options.now ?? new Date(),
    seed: options.seed,
    count: options.count,
  };
}

export async function insertDemoCases(
  trx: Transaction<DB>,
  dataset: Pick<Dataset, 'regions' | 'grids' | 'meta'>,
  options: DemoCasesOptions & DemoCaseAccounts,
): Promise<{ cases: number; events: number }> {
  const categories = (await trx.selectFrom('case_categories').select(['code', 'time_limit_hours']).execute()).map(
    (c) => ({ code: c.code, timeLimitHours: c.time_limit_hours }),
  );
  // Tickets go on from the sequence (a city loads one district after the other), and the
  // sequence is set past them so live intake goes on from there.
  const { rows } = await sql<{ first: string }>`SELECT nextval('case_ticket_seq') AS first`.execute(trx);
  const firstTicket = Number(rows[0]!.first);
  const generated = generateCases({ ...demoCaseInput(dataset, categories, options, options), firstTicket });
  if (generated.length === 0) return { cases: 0, events: 0 };
  const ids = new Map<string, string>();
  // Originals first: a merged duplicate points at a case that is already there.
  const ordered = [...generated.filter((c) => !c.duplicate_of), ...generated.filter((c) => c.duplicate_of)];
  for (let k = 0; k < ordered.length; k += JSON_BATCH) {
    const rows = await insertJsonRows<{ id: string; ticket: string }>(
      trx,
      'cases',
      ordered.slice(k, k + JSON_BATCH).map((c) => caseRow(c, ids)),
      sql`RETURNING id, ticket`,
    );
    for (const r of rows) ids.set(r.ticket, String(r.id));
  }
  const events = generated.flatMap((c) => c.events.map((e) => ({ ...e, case_id: ids.get(c.ticket)! })));
  for (let k = 0; k < events.length; k += JSON_BATCH * 5)
    await insertJsonRows(trx, 'case_events', events.slice(k, k + JSON_BATCH * 5));
  await sql`SELECT setval('case_ticket_seq', ${firstTicket + generated.length - 1})`.execute(trx);
  return { cases: generated.length, events: events.length };
}

/**
 * Rows go in as one JSON parameter a statement (json_populate_recordset), so a batch is not
 * bounded by the number of bind parameters: 1,000 cases or 5,000 events a statement.
 */
const JSON_BATCH = 1000;

async function insertJsonRows<R = unknown>(
  trx: Transaction<DB>,
  table: 'cases' | 'case_events',
  rows: readonly Record<string, unknown>[],
  returning = sql``,
): Promise<R[]> {
  const columns = sql.join(Object.keys(rows[0] ?? {}).map((c) => sql.id(c)));
  const { rows: out } = await sql<R>`
    INSERT INTO ${sql.table(table)} (${columns})
    SELECT ${columns} FROM json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)
    ${returning}`.execute(trx);
  return out;
}

function caseRow({ events: _events, lon, lat, duplicate_of, ...c }: GeneratedCase, ids: ReadonlyMap<string, string>) {
  return {
    ...c,
    token_hash: createHash('sha256').update(randomBytes(24)).digest('hex'),
    geom: `SRID=4326;POINT(${lon} ${lat})`,
    duplicate_of: duplicate_of ? ids.get(duplicate_of)! : null,
  };
}
