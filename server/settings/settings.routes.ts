/**
 * Settings an admin may change at run time. Household bounds per district: every signed-in
 * user reads them (the map's legend and bands follow them); only an admin writes, one district
 * at a time, in one transaction.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { notFound, unauthorized } from '../http/errors.ts';
import { parseBody } from '../http/params.ts';
import { forbidden, requireUser } from '../auth/permissions.ts';
import { inTransaction } from '../db/transaction.ts';
import { HouseholdBoundsPut } from '../../common/contracts/settings.ts';
import type { HouseholdBoundsList } from '../../common/rules/household-band.ts';
import { isDistrict, listHouseholdBounds, setDistrictBounds } from './household-bounds.queries.ts';

export function settingsRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/settings/household-bounds', async (req, res) => {
    requireUser(req);
    const body: HouseholdBoundsList = await listHouseholdBounds(db);
    res.json(body);
  });

  router.put('/settings/household-bounds', async (req, res) => {
    // Who first, then the body: a stranger learns nothing about what the route accepts.
    if (!req.user) throw unauthorized();
    if (req.user.role !== 'admin') throw forbidden('Only an admin sets household bounds');
    const input = parseBody(HouseholdBoundsPut, req.body);
    const body: HouseholdBoundsList = await inTransaction(db, async (trx) => {
      if (!(await isDistrict(trx, input.district))) throw notFound('District', input.district);
      await setDistrictBounds(trx, input.district, { min: input.min, max: input.max });
      return listHouseholdBounds(trx);
    });
    res.json(body);
  });

  return router;
}
