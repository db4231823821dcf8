/** Settings an admin changes at run time: household bounds per district. */
import { HouseholdBoundsListSchema, HouseholdBoundsPut } from '../../../common/contracts/settings.ts';
import { fromZod, json, jsonBody, op, ref, type Paths } from '../openapi.build.ts';

export const settingsPaths: Paths = {
  '/api/settings/household-bounds': {
    get: op({
      tag: 'settings',
      zh: '网格户数范围（按区）',
      en: "The household band of residential grids: the default (300–500) and every district's effective bounds (`custom` when the district set its own). The map, tiles, validation and publish all follow these.",
      access: 'user',
      ok: { 200: json(ref(HouseholdBoundsListSchema)) },
    }),
    put: op({
      tag: 'settings',
      zh: '设置某区的网格户数范围',
      en: "Set one district's bounds (whole numbers, 0 ≤ min < max). Bands in /api/grids, tiles (new ETags), the draft check and validation follow at once. 400 names the field at fault; 404 for an unknown district.",
      access: 'admin',
      body: jsonBody(fromZod(HouseholdBoundsPut)),
      ok: { 200: json(ref(HouseholdBoundsListSchema)) },
      errors: [404],
    }),
  },
};
