/** Cases (事在格中办, issue 18): residents report, track and rate; staff queues and transitions. */
import {
  CaseCategories,
  CaseConfig,
  CaseList,
  NewPublicCase,
  NewPublicCaseResponse,
  NewStaffCase,
  NewStaffCaseResponse,
  PublicCase,
  RatingRequest,
  StaffCaseDetail,
  TransitionRequest,
} from '../../../common/contracts/cases.ts';
import { CASE_STATES } from '../../../common/rules/case-lifecycle.ts';
import {
  fromZod,
  ifMatchHeader,
  json,
  jsonBody,
  numberPath,
  op,
  pathParam,
  queryParam,
  ref,
  type Paths,
} from '../openapi.build.ts';

const ticketPath = pathParam('ticket', 'Ticket number (工单号)', { type: 'string', pattern: '^[0-9]{8}-[0-9]{6,}$' });
const caseIdPath = numberPath('id', 'Case number');
const CHAIN =
  'Staff in the case chain: grid workers (their grids), communities, departments (what is sent to them), street editors (their street) and admins; planners get 403 (they read /api/cases/stats).';

export const casesPaths: Paths = {
  '/api/public/cases/categories': {
    get: op({
      tag: 'cases',
      zh: '反映类别',
      en: 'The categories a resident picks from, with the hours each has to be handled in (counted from acceptance).',
      access: 'public',
      ok: { 200: json(ref(CaseCategories)) },
    }),
  },
  '/api/public/cases': {
    post: op({
      tag: 'cases',
      zh: '我要反映（上报）',
      en: 'A resident reports a concern: category, description, a location (lon/lat in wgs84, gcj02 or bd09, or the grid code from a board), an optional phone for call-back (never public) and up to 3 photos (multipart: a `case` JSON field and `photo` files). Routed by point-in-grid; a point in no grid goes to the nearest community, flagged. Answers the ticket and the private tracking token (shown once). Rate-limited per address (WANGGE_CASE_RATE_LIMIT an hour).',
      access: 'public',
      body: jsonBody(fromZod(NewPublicCase)),
      ok: { 201: json(ref(NewPublicCaseResponse), 'Reported') },
      errors: [413, 429],
    }),
  },
  '/api/public/cases/{ticket}': {
    get: op({
      tag: 'cases',
      zh: '查看办理进度',
      en: "The case's state and timeline for its reporter, with no personal data (actors by role). A wrong token answers 404 like an unknown ticket.",
      access: 'public',
      params: [ticketPath, queryParam('token', 'The private tracking token', { type: 'string' }, true)],
      ok: { 200: json(ref(PublicCase)) },
      errors: [404],
    }),
  },
  '/api/public/cases/{ticket}/rating': {
    post: op({
      tag: 'cases',
      zh: '评价',
      en: '满意 / 基本满意 / 不满意, once per closure, with the tracking token. 409 before closure or when rated already.',
      access: 'public',
      params: [ticketPath],
      body: jsonBody(fromZod(RatingRequest)),
      ok: { 200: json(ref(PublicCase)) },
      errors: [404, 409],
    }),
  },
  '/api/cases/config': {
    get: op({
      tag: 'cases',
      zh: '案件设置',
      en: "Categories with time limits, the ways of handling, and the departments of the user's street.",
      access: 'user',
      ok: { 200: json(ref(CaseConfig)) },
    }),
  },
  '/api/cases': {
    get: op({
      tag: 'cases',
      zh: '案件列表（待办）',
      en: `Cases this user may read, open ones by time left (overdue first). ${CHAIN} The reporter's phone is masked except for the grid worker the case is with.`,
      access: 'user',
      params: [
        queryParam('region', 'A region (12 digits) or grid (15 digits)', { type: 'string' }),
        queryParam('state', 'States, comma-separated', {
          type: 'string',
          examples: [CASE_STATES.slice(0, 2).join(',')],
        }),
        queryParam('overdue', 'Only open cases past their due time', { enum: ['1', '0'] }),
        queryParam('open', 'Only open cases', { enum: ['1', '0'] }),
        queryParam('category', 'A category code', { type: 'string' }),
        queryParam('queue', 'mine: only what is in my own queue', { enum: ['mine', 'all'] }),
        queryParam('limit', 'Page size (default 100)', { type: 'integer', minimum: 1, maximum: 500 }),
        queryParam('offset', 'Rows to skip', { type: 'integer', minimum: 0 }),
      ],
      ok: { 200: json(ref(CaseList)) },
    }),
    post: op({
      tag: 'cases',
      zh: '巡查上报',
      en: 'A grid worker (or community, street) reports what they found on patrol (channel patrol); routed as residents’ reports are.',
      access: 'user',
      body: jsonBody(fromZod(NewStaffCase)),
      ok: { 201: json(ref(NewStaffCaseResponse), 'Reported') },
      errors: [413],
    }),
  },
  '/api/cases/{id}': {
    get: op({
      tag: 'cases',
      zh: '案件详情',
      en: `One case with its timeline, the actions this user may take, and open cases of the same category within 50 m and 72 h (to merge). ETag for the next transition. ${CHAIN}`,
      access: 'user',
      params: [caseIdPath],
      ok: { 200: json(ref(StaffCaseDetail)) },
      errors: [404],
    }),
  },
  '/api/cases/{id}/transitions': {
    post: op({
      tag: 'cases',
      zh: '办理（受理、派遣、处置、反馈、结案…）',
      en: 'One step of the lifecycle, in one transaction that appends to the timeline: accept, not_accept (reason), merge (duplicateOf), dispatch (to a grid, community, street, department or 12345; 吹哨 is handling "whistle" to a department), escalate, return (reason), handle, feedback (online/offline), close, reopen (after 不满意), note. 409 when the state does not allow it, 412 on a stale If-Match.',
      access: 'user',
      params: [caseIdPath, ifMatchHeader(true)],
      body: jsonBody(fromZod(TransitionRequest)),
      ok: { 200: json(ref(StaffCaseDetail)) },
      errors: [404, 409, 412, 413, 428],
    }),
  },
};
