/**
 * settings.household_bounds, read and written: `{"default": {min, max}, "<district code>": {min, max}}`
 * (migration 0002). The rule that uses the bounds is common/rules/household-band.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import {
  DEFAULT_HOUSEHOLD_BOUNDS,
  boundsFor,
  type HouseholdBounds,
  type HouseholdBoundsList,
  type HouseholdBoundsSetting,
} from '../../common/rules/household-band.ts';

const KEY = 'household_bounds';

/** The setting with its default filled in. `forUpdate` locks the row for a read-modify-write. */
export async function householdBoundsSetting(db: Kysely<DB>, forUpdate = false): Promise<HouseholdBoundsSetting> {
  let query = db.selectFrom('settings').select('value').where('key', '=', KEY);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  const value = (row?.value ?? {}) as HouseholdBoundsSetting;
  return { default: { ...DEFAULT_HOUSEHOLD_BOUNDS }, ...value };
}

/** Every district with the bounds that apply to it, and the default. */
export async function listHouseholdBounds(db: Kysely<DB>): Promise<HouseholdBoundsList> {
  const setting = await householdBoundsSetting(db);
  const districts = await db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('level', '=', 'district')
    .orderBy('code')
    .execute();
  return {
    default: setting.default!,
    districts: districts.map(({ code, name }) => ({
      district: code,
      name,
      ...boundsFor(setting, code),
      custom: !!setting[code],
    })),
  };
}

export async function isDistrict(db: Kysely<DB>, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('regions')
    .select('code')
    .where('code', '=', code)
    .where('level', '=', 'district')
    .executeTakeFirst();
  return !!row;
}

/** Set one district's bounds (inside the caller's transaction; the row is locked first). */
export async function setDistrictBounds(trx: Kysely<DB>, district: string, bounds: HouseholdBounds): Promise<void> {
  await householdBoundsSetting(trx, true);
  const entry = JSON.stringify({ [district]: { min: bounds.min, max: bounds.max } });
  await sql`
    INSERT INTO settings (key, value) VALUES (${KEY}, ${JSON.stringify({ default: DEFAULT_HOUSEHOLD_BOUNDS })}::jsonb || ${entry}::jsonb)
    ON CONFLICT (key) DO UPDATE SET value = settings.value || ${entry}::jsonb`.execute(trx);
}
