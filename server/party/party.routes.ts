import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { PartyOrgArea, PartyOrgList } from '../../common/contracts/party.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { parseRegionCode } from '../http/params.ts';
import { requireUser, requireWriter } from '../auth/permissions.ts';
import { regionExists } from '../regions/regions.queries.ts';
import { getPartyOrg, listPartyOrgs, orgArea } from './party.queries.ts';
import { PartyOrgGridsInput, PartyOrgInput, PartyOrgPatch } from '../../common/contracts/party.ts';
import { parseBody } from '../http/params.ts';
import { parseOrgCode } from './party-body.ts';
import { forReader } from '../auth/redact.ts';
import { changeOrg, createOrg, removeOrg, setOrgGrids } from './party-writes.ts';

export function partyRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/party-orgs', async (req, res) => {
    const region = parseRegionCode(req.query.region, 'region');
    if (region && !(await regionExists(db, region))) throw badRequest('region', `region: no region has code ${region}`);
    const orgs = await listPartyOrgs(db, region);
    const body: PartyOrgList = { party_orgs: orgs.map((o) => forReader(req, o)) };
    res.json(body);
  });

  router.post('/party-orgs', async (req, res) => {
    const user = requireWriter(req);
    res.status(201).json(await createOrg(db, user, parseBody(PartyOrgInput, req.body)));
  });

  router.patch('/party-orgs/:code', async (req, res) => {
    const user = requireWriter(req);
    const code = parseOrgCode(req.params.code);
    res.json(await changeOrg(db, user, code, parseBody(PartyOrgPatch, req.body)));
  });

  router.delete('/party-orgs/:code', async (req, res) => {
    const user = requireWriter(req);
    await removeOrg(db, user, parseOrgCode(req.params.code));
    res.status(204).end();
  });

  router.put('/party-orgs/:code/grids', async (req, res) => {
    const user = requireWriter(req);
    const code = parseOrgCode(req.params.code);
    res.json(await setOrgGrids(db, user, code, parseBody(PartyOrgGridsInput, req.body).grids));
  });

  // Signed-in users only: it shows households.
  router.get('/party-orgs/:code/area', async (req, res) => {
    requireUser(req);
    const code = parseOrgCode(req.params.code);
    const org = await getPartyOrg(db, code);
    if (!org) throw notFound('Party organisation', code);
    const body: PartyOrgArea = { org, ...(await orgArea(db, code)) };
    res.json(body);
  });
  return router;
}
