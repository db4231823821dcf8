import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { PartyOrgList } from '../../common/api.ts';
import { badRequest } from '../http/errors.ts';
import { parseRegionCode } from '../http/params.ts';
import { regionExists } from '../regions/regions.queries.ts';
import { listPartyOrgs } from './party.queries.ts';

export function partyRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/party-orgs', async (req, res) => {
    const region = parseRegionCode(req.query.region, 'region');
    if (region && !(await regionExists(db, region))) throw badRequest('region', `region: no region has code ${region}`);
    const body: PartyOrgList = { party_orgs: await listPartyOrgs(db, region) };
    res.json(body);
  });
  return router;
}
