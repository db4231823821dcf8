/**
 * Staff case routes: queues (by role), one case with its timeline, transitions with If-Match,
 * patrol reports (巡查发现) and the configuration the forms need. Planners get statistics
 * (cases/stats), not cases: no one outside the chain reads a case's personal data.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { clockOf, type AppContext } from '../context.ts';
import {
  NewStaffCase,
  TransitionRequest,
  type CaseConfig,
  type CaseList,
  type NewStaffCaseResponse,
  type StaffCaseDetail,
} from '../../common/contracts/cases.ts';
import { CASE_STATES, type CaseState } from '../../common/rules/case-lifecycle.ts';
import { badRequest, notFound, unauthorized } from '../http/errors.ts';
import { checkQuery, parseBody, parseEnum } from '../http/params.ts';
import { forbidden } from '../auth/permissions.ts';
import { publicIndexesFor } from '../public/public-index.ts';
import { canReadCase, type StaffScope } from './case-access.ts';
import { caseById, caseConfig, caseTimeline, duplicatesNear, listCases, staffScope } from './cases.queries.ts';
import { staffCase, staffCaseDetail } from './case-answers.ts';
import { applyTransition, caseEtag } from './transitions.ts';
import { reportCase } from './intake.ts';
import { photosOf, reportPoint } from './public-cases.routes.ts';

/** A whole number given once, from min to max. */
function wholeNumber(value: unknown, param: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw badRequest(param, `${param} must be a whole number from ${min} to ${max}`);
  return n;
}

type Staff = StaffScope & { display_name: string };

/** A signed-in member of the case chain (not a planner). */
export async function requireCaseStaff(ctx: AppContext, req: Request): Promise<Staff> {
  if (!req.user) throw unauthorized('Sign in to see cases');
  if (req.user.role === 'planner') throw forbidden('Planners read case statistics, not cases with personal data');
  return { ...(await staffScope(ctx.db, req.user)), display_name: req.user.display_name };
}

async function regionFilter(ctx: AppContext, code: string | undefined) {
  if (code === undefined) return undefined;
  if (/^[0-9]{15}$/.test(code)) return { level: 'grid' as const, code };
  if (!/^[0-9]{12}$/.test(code)) throw badRequest('region', 'region: a 12-digit region code or a 15-digit grid code');
  const row = await ctx.db.selectFrom('regions').select('level').where('code', '=', code).executeTakeFirst();
  if (!row) throw badRequest('region', `region: no region has code ${code}`);
  return { level: row.level, code };
}

export function caseRoutes(
  ctx: AppContext,
  uploads: { transition?: RequestHandler[]; patrol?: RequestHandler[] } = {},
): Router {
  const router = Router();
  const indexes = ctx.config.publicIndex ? publicIndexesFor(ctx.db) : null;

  router.get('/cases/config', async (req, res) => {
    if (!req.user) throw unauthorized('Sign in to see the case settings');
    const street = req.user.role === 'admin' || req.user.role === 'planner' ? null : req.user.street_code;
    const { categories, handlings, departments } = await caseConfig(ctx.db, street);
    const body: CaseConfig = {
      categories: categories.map((c) => ({ code: c.code, name: c.name, timeLimitHours: c.time_limit_hours })),
      handlings,
      departments: departments.map((d) => ({
        id: d.id,
        streetCode: d.street_code,
        name: d.name,
        reportHours: d.report_hours,
      })),
    };
    res.json(body);
  });

  router.get('/cases', async (req, res) => {
    const user = await requireCaseStaff(ctx, req);
    checkQuery(req.query, ['region', 'state', 'overdue', 'open', 'category', 'queue', 'limit', 'offset']);
    const states =
      typeof req.query.state === 'string'
        ? req.query.state.split(',').map((s) => parseEnum(s, CASE_STATES, 'state') as CaseState)
        : undefined;
    const flag = (name: string) => {
      const v = req.query[name];
      if (v === undefined) return false;
      if (v === '1' || v === 'true') return true;
      if (v === '0' || v === 'false') return false;
      throw badRequest(name, `${name}: 1 or 0`);
    };
    const queue = parseEnum(req.query.queue, ['mine', 'all'] as const, 'queue');
    const now = clockOf(ctx);
    const { rows, total } = await listCases(
      ctx.db,
      user,
      {
        region: await regionFilter(ctx, typeof req.query.region === 'string' ? req.query.region : undefined),
        ...(states ? { state: states } : {}),
        open: flag('open'),
        overdue: flag('overdue'),
        ...(typeof req.query.category === 'string' ? { category: req.query.category } : {}),
        mine: queue === 'mine',
        limit: wholeNumber(req.query.limit, 'limit', 1, 500) ?? 100,
        offset: wholeNumber(req.query.offset, 'offset', 0, 10_000_000) ?? 0,
      },
      now,
    );
    const body: CaseList = { cases: rows.map((r) => staffCase(r, user, now)), total };
    res.json(body);
  });

  router.get('/cases/:id', async (req, res, next) => {
    if (!/^[0-9]{1,18}$/.test(req.params.id)) return next();
    const user = await requireCaseStaff(ctx, req);
    const c = await caseById(ctx.db, req.params.id);
    if (!c || !canReadCase(user, c)) throw notFound('Case', req.params.id);
    const now = clockOf(ctx);
    const [events, duplicates] = await Promise.all([
      caseTimeline(ctx.db, c.id),
      c.lon !== null && c.lat !== null && c.closed_at === null
        ? duplicatesNear(ctx.db, { lon: c.lon, lat: c.lat, category: c.category, at: now, exceptId: c.id })
        : Promise.resolve([]),
    ]);
    const body: StaffCaseDetail = staffCaseDetail(c, events, duplicates, user, now);
    res.set('etag', caseEtag(c)).set('cache-control', 'no-store').json(body);
  });

  router.post('/cases/:id/transitions', ...(uploads.transition ?? []), async (req, res) => {
    const id = String(req.params.id);
    if (!/^[0-9]{1,18}$/.test(id)) throw notFound('Case', id);
    const user = await requireCaseStaff(ctx, req);
    const request = parseBody(TransitionRequest, req.body);
    const now = clockOf(ctx);
    const c = await applyTransition(
      ctx.db,
      id,
      user,
      { request, ifMatch: req.get('if-match'), photos: photosOf(req) },
      now,
    );
    const events = await caseTimeline(ctx.db, c.id);
    const body: StaffCaseDetail = staffCaseDetail(c, events, [], user, now);
    res.set('etag', caseEtag(c)).json(body);
  });

  // 巡查发现: a worker (or community, street) reports what they found on patrol.
  router.post('/cases', ...(uploads.patrol ?? []), async (req, res) => {
    const user = await requireCaseStaff(ctx, req);
    if (user.role === 'department')
      throw forbidden('Departments handle cases; grid workers and communities report them');
    const body = parseBody(NewStaffCase, req.body);
    const point = reportPoint(body)!;
    const made = await reportCase(
      ctx.db,
      {
        category: body.category,
        description: body.description,
        point,
        ...(body.address ? { address: body.address } : {}),
        ...(body.phone ? { phone: body.phone } : {}),
        channel: 'patrol',
        reporter: { id: user.id, label: user.display_name },
        photos: photosOf(req),
      },
      clockOf(ctx),
      indexes,
    );
    const answer: NewStaffCaseResponse = {
      id: Number(made.id),
      ticket: made.ticket,
      token: made.token,
      grid: made.grid,
      dueAt: made.dueAt.toISOString(),
      possibleDuplicateOf: made.possibleDuplicateOf,
    };
    res.status(201).json(answer);
  });

  return router;
}
