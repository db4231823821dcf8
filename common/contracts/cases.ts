/**
 * Cases (issue 18, 事在格中办): request and answer shapes of the residents' intake and tracking
 * API and of the staff's queues and transitions. Personal fields (the reporter's phone) appear
 * only in staff answers, masked except for the assigned worker (server/cases/case-privacy.ts).
 */
import { z } from 'zod';
import { CASE_STATES, RATINGS, STAFF_ACTIONS } from '../rules/case-lifecycle.ts';
import { PublicCrs } from './public.ts';

export const CaseState = z.enum(CASE_STATES);
export const CaseRating = z.enum(RATINGS);
export const CaseChannel = z.enum(['finder', 'patrol', 'hotline']);
export type CaseChannel = z.infer<typeof CaseChannel>;
export const QueueKind = z.enum(['grid', 'community', 'street', 'department', 'hotline']);
export type QueueKind = z.infer<typeof QueueKind>;

const CodeName = z.object({ code: z.string(), name: z.string() });
const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\- ]{5,20}$/, 'a phone number of 5–20 digits');

/** POST /api/public/cases (JSON, or multipart with the fields in `case` and up to 3 `photo` files). */
export const NewPublicCase = z
  .object({
    category: z.string().min(1).max(40),
    description: z.string().trim().min(2).max(2000),
    /** GPS or a map tap, in `crs` (WGS84 by default). */
    lon: z.number().finite().optional(),
    lat: z.number().finite().optional(),
    crs: PublicCrs.optional(),
    /** The grid from a board's QR code, when there is no point. */
    grid: z
      .string()
      .regex(/^[0-9]{15}$/, 'a 15-digit grid code')
      .optional(),
    address: z.string().trim().max(200).optional(),
    phone: Phone.optional(),
  })
  .strict()
  .meta({ id: 'NewPublicCase', description: 'A resident reports a concern' });
export type NewPublicCase = z.infer<typeof NewPublicCase>;

export const NewPublicCaseResponse = z
  .object({
    ticket: z.string(),
    /** The private tracking token: shown once, kept only as a hash. */
    token: z.string(),
    grid: CodeName.nullable(),
    dueAt: z.string().nullable(),
    /** An open case of the same category within 50 m and 72 h, offered to merge with. */
    possibleDuplicateOf: z.string().nullable(),
  })
  .meta({ id: 'NewPublicCaseResponse' });
export type NewPublicCaseResponse = z.infer<typeof NewPublicCaseResponse>;

export const NewStaffCaseResponse = NewPublicCaseResponse.extend({ id: z.number().int() }).meta({
  id: 'NewStaffCaseResponse',
});
export type NewStaffCaseResponse = z.infer<typeof NewStaffCaseResponse>;

export const TimelineEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  state: CaseState,
  /** 居民, 网格员, 社区, 街道, a department's name: never a person's name or phone in public. */
  actor: z.string(),
  comment: z.string().nullable(),
  photos: z.array(z.number().int()),
  details: z.record(z.string(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** GET /api/public/cases/:ticket?token=: progress with no personal data. */
export const PublicCase = z
  .object({
    ticket: z.string(),
    category: CodeName,
    description: z.string(),
    state: CaseState,
    grid: CodeName.nullable(),
    community: CodeName,
    reportedAt: z.string(),
    dueAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    rating: CaseRating.nullable(),
    /** True when the case waits for the reporter's rating. */
    canRate: z.boolean(),
    timeline: z.array(TimelineEntry),
  })
  .meta({ id: 'PublicCase' });
export type PublicCase = z.infer<typeof PublicCase>;

export const RatingRequest = z
  .object({ token: z.string().min(10).max(100), rating: CaseRating, comment: z.string().trim().max(500).optional() })
  .strict()
  .meta({ id: 'RatingRequest' });
export type RatingRequest = z.infer<typeof RatingRequest>;

/** A case as staff see it (list rows and detail). */
export const StaffCase = z
  .object({
    id: z.number().int(),
    ticket: z.string(),
    category: CodeName,
    channel: CaseChannel,
    description: z.string(),
    address: z.string().nullable(),
    lon: z.number().nullable(),
    lat: z.number().nullable(),
    state: CaseState,
    grid: CodeName.nullable(),
    community: CodeName,
    street: CodeName,
    outsideGrids: z.boolean(),
    queue: z.object({ kind: QueueKind, code: z.string(), name: z.string() }),
    handling: CodeName.nullable(),
    /** Masked (138****5678) except for the worker the case is with; null when none was left. */
    reporterPhone: z.string().nullable(),
    reportedAt: z.string(),
    acceptedAt: z.string().nullable(),
    dueAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    /** Hours left before the due time (negative: overdue); null before acceptance or after closing. */
    hoursLeft: z.number().nullable(),
    overdue: z.boolean(),
    rating: CaseRating.nullable(),
    duplicateOf: z.string().nullable(),
    version: z.number().int(),
    /** What this user may do now. */
    actions: z.array(z.string()),
  })
  .meta({ id: 'StaffCase' });
export type StaffCase = z.infer<typeof StaffCase>;

export const StaffCaseDetail = StaffCase.extend({
  timeline: z.array(TimelineEntry),
  /** Open cases of the same category within 50 m and 72 h (candidates to merge). */
  duplicates: z.array(z.object({ ticket: z.string(), id: z.number().int(), distanceM: z.number() })),
}).meta({ id: 'StaffCaseDetail' });
export type StaffCaseDetail = z.infer<typeof StaffCaseDetail>;

export const CaseList = z.object({ cases: z.array(StaffCase), total: z.number().int() }).meta({ id: 'CaseList' });
export type CaseList = z.infer<typeof CaseList>;

export const QueueTarget = z.object({ kind: QueueKind, code: z.string().min(1).max(40) });
export type QueueTarget = z.infer<typeof QueueTarget>;

/** POST /api/cases/:id/transitions (If-Match: the case's ETag). */
export const TransitionRequest = z
  .object({
    action: z.enum(STAFF_ACTIONS as [string, ...string[]]),
    comment: z.string().trim().max(2000).optional(),
    /** dispatch: where to. */
    to: QueueTarget.optional(),
    /** dispatch/handle: the way of handling (case_handlings code). */
    handling: z.string().min(1).max(40).optional(),
    /** merge: the ticket of the case this one duplicates. */
    duplicateOf: z.string().min(1).max(40).optional(),
    /** feedback: online (the tracking page) or offline (a call or visit, with its note). */
    route: z.enum(['online', 'offline']).optional(),
  })
  .strict()
  .meta({ id: 'TransitionRequest' });
export type TransitionRequest = z.infer<typeof TransitionRequest>;

/** POST /api/cases (staff: patrol finds, 巡查发现). */
export const NewStaffCase = z
  .object({
    category: z.string().min(1).max(40),
    description: z.string().trim().min(2).max(2000),
    lon: z.number().finite(),
    lat: z.number().finite(),
    address: z.string().trim().max(200).optional(),
    phone: Phone.optional(),
  })
  .strict()
  .meta({ id: 'NewStaffCase' });
export type NewStaffCase = z.infer<typeof NewStaffCase>;

/** GET /api/public/cases/categories: what a resident picks from. */
export const CaseCategories = z
  .array(z.object({ code: z.string(), name: z.string(), timeLimitHours: z.number() }))
  .meta({ id: 'CaseCategories' });
export type CaseCategories = z.infer<typeof CaseCategories>;

/** GET /api/cases/config: categories with limits, handling ways, departments of the user's street. */
export const CaseConfig = z
  .object({
    categories: z.array(z.object({ code: z.string(), name: z.string(), timeLimitHours: z.number() })),
    handlings: z.array(CodeName),
    departments: z.array(
      z.object({ id: z.number().int(), streetCode: z.string(), name: z.string(), reportHours: z.number() }),
    ),
  })
  .meta({ id: 'CaseConfig' });
export type CaseConfig = z.infer<typeof CaseConfig>;

const Counts = z.object({
  reported: z.number(),
  accepted: z.number(),
  notAccepted: z.number(),
  closed: z.number(),
  /** 应办结: closed, plus open cases past their due time. */
  due: z.number(),
  closedOnTime: z.number(),
  rated: z.number(),
  satisfied: z.number(),
  basicallySatisfied: z.number(),
  unsatisfied: z.number(),
  closureRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  avgHandlingHours: z.number().nullable(),
  overdueNow: z.number(),
});
export type CaseCounts = z.infer<typeof Counts>;

/** GET /api/cases/stats?region=&from=&to=: totals, breakdowns and a monthly trend. */
export const CaseStats = z
  .object({
    region: CodeName,
    from: z.string(),
    to: z.string(),
    totals: Counts,
    byCategory: z.array(Counts.extend({ code: z.string(), name: z.string() })),
    byChannel: z.array(Counts.extend({ code: z.string(), name: z.string() })),
    /** One row per child region (streets of a district, communities of a street, grids of a community). */
    byRegion: z.array(Counts.extend({ code: z.string(), name: z.string(), level: z.string() })),
    byGrid: z.array(Counts.extend({ code: z.string(), name: z.string() })),
    byWorker: z.array(Counts.extend({ code: z.string(), name: z.string() })),
    trend: z.array(
      z.object({
        month: z.string(),
        accepted: z.number(),
        closed: z.number(),
        satisfactionRate: z.number().nullable(),
      }),
    ),
    tookMs: z.number(),
  })
  .meta({ id: 'CaseStats' });
export type CaseStats = z.infer<typeof CaseStats>;
