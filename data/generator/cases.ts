/**
 * A year of cases (issue 18) for the demo district, so the dashboard reads like Dachang's 7621
 * (办结率 98.8 %, 满意度 96.4 %): pure and deterministic — grids, accounts, departments,
 * categories, `now` and a seed in; rows for cases and their timelines out.
 *
 * Each case is planned as a whole timeline (report → accept → dispatch → handle → feedback →
 * close → rate, with 不予受理, merged duplicates, 退回, 吹哨 and reopening after 不满意) and then
 * cut at `now`, so recent cases are still open and a few stuck ones are overdue. The columns of
 * cases (state, accepted_at, due_at, queue, rating …) are derived from that timeline by
 * `caseColumns`, so they cannot disagree with replayCaseTimeline.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import {
  dueAt as dueFrom,
  replayCaseTimeline,
  type CaseAction,
  type CaseRating,
  type CaseState,
} from '../../common/rules/case-lifecycle.ts';
import {
  CASE_DESCRIPTIONS,
  NOTES,
  NOT_ACCEPTED_REASONS,
  OFFLINE_FEEDBACK_NOTES,
  RETURN_REASONS,
} from './case-texts.ts';
import { mobilePhone } from './names.ts';
import { createRng, type Rng } from './prng.ts';

export interface CaseGridInput {
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
  streetCode: string;
  districtCode: string;
  /** Cases come in proportion to this (population, with a floor for non-residential grids). */
  weight: number;
  geom: MultiPolygon;
}

export interface CaseDepartmentInput {
  id: number;
  streetCode: string;
  name: string;
  reportHours: number;
  /** Its account (who reports back), as the timeline names it: the account's display name. */
  actor: CaseActor;
}

/** Who acted: a demo account's id and display name (as live transitions label their events). */
export interface CaseActor {
  id: number | null;
  label: string;
}

/** The accounts acting for each grid, community and street (the street's editor), by code. */
export interface CaseActors {
  worker: Readonly<Record<string, CaseActor>>;
  community: Readonly<Record<string, CaseActor>>;
  street: Readonly<Record<string, CaseActor>>;
}

export interface CaseGeneratorInput {
  grids: readonly CaseGridInput[];
  departments: readonly CaseDepartmentInput[];
  categories: readonly { code: string; timeLimitHours: number }[];
  actors: CaseActors;
  now: Date;
  seed?: number;
  /** Cases in all (default 3,300), reported over the `days` before now (default 365). */
  count?: number;
  days?: number;
  /** The sequence number of the first ticket (after the cases already in the database). */
  firstTicket?: number;
}

export type QueueKind = 'grid' | 'community' | 'street' | 'department' | 'hotline';

export interface GeneratedEvent {
  seq: number;
  at: Date;
  action: CaseAction;
  from_state: CaseState | null;
  to_state: CaseState;
  actor_user_id: number | null;
  actor_label: string;
  comment: string | null;
  details: Record<string, unknown>;
}

export interface GeneratedCase {
  ticket: string;
  category: string;
  channel: 'finder' | 'patrol' | 'hotline';
  description: string;
  address: string | null;
  lon: number;
  lat: number;
  grid_code: string;
  community_code: string;
  street_code: string;
  district_code: string;
  reporter_phone: string | null;
  hotline_ref: string | null;
  state: CaseState;
  queue_kind: QueueKind;
  queue_code: string;
  handling: string | null;
  reported_at: Date;
  accepted_at: Date | null;
  due_at: Date | null;
  handled_at: Date | null;
  closed_at: Date | null;
  rating: CaseRating | null;
  rated_at: Date | null;
  /** The ticket of the case this one was merged into. */
  duplicate_of: string | null;
  reopened: number;
  version: number;
  created_by: number | null;
  events: GeneratedEvent[];
}

export const CASE_SEED = 18_7621;
export const DEFAULT_CASE_COUNT = 3300;
const HOUR = 3_600_000;

/** Shares close to the Dachang ledger (环境卫生 and 乱堆乱放 lead, 治安稳定 is rare). */
export const CATEGORY_MIX: Readonly<Record<string, number>> = {
  sanitation: 0.27,
  clutter: 0.18,
  livelihood: 0.18,
  safety: 0.12,
  dispute: 0.1,
  illegal_building: 0.08,
  public_order: 0.07,
};
export const CHANNEL_MIX = { patrol: 0.5, finder: 0.3, hotline: 0.2 } as const;
/** Ways of handling an accepted case (不予受理 is decided before). */
export const HANDLING_MIX = {
  on_the_spot: 0.6,
  community: 0.25,
  whistle: 0.06,
  department: 0.05,
  hotline: 0.04,
} as const;
export const SHARES = {
  duplicate: 0.015,
  notAccepted: 0.02,
  returned: 0.03,
  note: 0.08,
  /** Accepted cases that stall before closing (open, and overdue once their limit passes). */
  stalled: 0.01,
  late: 0.05,
  rated: 0.72,
  satisfied: 0.81,
  basically: 0.15,
  /** 不满意 cases that are reopened, handled again and rated again. */
  reopened: 0.1,
} as const;

function weighted<K extends string>(rng: Rng, mix: Readonly<Record<K, number>>): K {
  const entries = Object.entries(mix) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = rng.next() * total;
  for (const [key, w] of entries) if ((x -= w) < 0) return key;
  return entries[entries.length - 1]![0];
}

/** Beijing date of an instant, YYYYMMDD. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
}

export const caseTicket = (reportedAt: Date, seq: number): string =>
  `${beijingDay(reportedAt)}-${String(seq).padStart(6, '0')}`;

/** A point inside the grid (rejection sampling in its bounding box), 7 decimals. */
function pointIn(geom: MultiPolygon, rng: Rng): [number, number] {
  const [x0, y0, x1, y1] = bboxOf(geom);
  for (let tries = 0; tries < 200; tries++) {
    const p: [number, number] = [round7(rng.float(x0, x1)), round7(rng.float(y0, y1))];
    if (booleanPointInPolygon(p, geom, { ignoreBoundary: true })) return p;
  }
  throw new Error('no point found inside the grid');
}
const bboxes = new WeakMap<MultiPolygon, [number, number, number, number]>();
function bboxOf(geom: MultiPolygon): [number, number, number, number] {
  let box = bboxes.get(geom);
  if (!box) {
    box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of geom.coordinates.flatMap((p) => p[0] ?? []) as [number, number][])
      box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
    bboxes.set(geom, box);
  }
  return box;
}
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** A reporting instant: more in summer and by day, fewer at weekends and at night. */
function reportedAt(rng: Rng, now: Date, days: number): Date {
  const start = now.getTime() - days * 24 * HOUR;
  for (;;) {
    const t = rng.float(start, now.getTime() - 0.5 * HOUR);
    const d = new Date(t + 8 * HOUR); // Beijing wall clock
    const month = d.getUTCMonth();
    const hour = d.getUTCHours();
    const season = 1 + 0.3 * Math.cos(((month - 6.5) / 6) * Math.PI);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.8 : 1;
    const daytime = hour >= 7 && hour < 21 ? 1 : 0.12;
    if (rng.next() * 1.3 < season * weekend * daytime) return new Date(Math.floor(t / 1000) * 1000);
  }
}

interface Plan {
  grid: CaseGridInput;
  category: string;
  channel: GeneratedCase['channel'];
  reportedAt: Date;
  point: [number, number];
  events: GeneratedEvent[];
  duplicateOf: Plan | null;
}

/** Builds a timeline step by step, keeping the state as the rules say. */
class Timeline {
  readonly events: GeneratedEvent[] = [];
  private state: CaseState | null = null;
  add(
    at: Date,
    action: CaseAction,
    to: CaseState,
    actor: { id: number | null; label: string },
    comment: string | null = null,
    details: Record<string, unknown> = {},
  ): void {
    this.events.push({
      seq: this.events.length + 1,
      at,
      action,
      from_state: this.state,
      to_state: to,
      actor_user_id: actor.id,
      actor_label: actor.label,
      comment,
      details,
    });
    this.state = to;
  }
}

export function generateCases(input: CaseGeneratorInput): GeneratedCase[] {
  const rng = createRng(input.seed ?? CASE_SEED);
  const count = input.count ?? DEFAULT_CASE_COUNT;
  const days = input.days ?? 365;
  const limits = new Map(input.categories.map((c) => [c.code, c.timeLimitHours]));
  const totalWeight = input.grids.reduce((s, g) => s + g.weight, 0);
  const pickGrid = (): CaseGridInput => {
    let x = rng.next() * totalWeight;
    for (const g of input.grids) if ((x -= g.weight) < 0) return g;
    return input.grids[input.grids.length - 1]!;
  };
  const departmentsOf = new Map<string, CaseDepartmentInput[]>();
  for (const d of input.departments) departmentsOf.set(d.streetCode, [...(departmentsOf.get(d.streetCode) ?? []), d]);
  const actors = {
    resident: { id: null, label: '居民' },
    hotline: { id: null, label: '12345热线' },
    worker: (g: CaseGridInput): CaseActor => input.actors.worker[g.code] ?? { id: null, label: '网格员' },
    community: (g: CaseGridInput): CaseActor => input.actors.community[g.communityCode] ?? { id: null, label: '社区' },
    street: (g: CaseGridInput): CaseActor => input.actors.street[g.streetCode] ?? { id: null, label: '街道' },
  };

  const plans: Plan[] = [];
  const duplicates = Math.round(count * SHARES.duplicate);
  for (let k = 0; k < count - duplicates; k++) {
    const grid = pickGrid();
    const category = weighted(rng, CATEGORY_MIX);
    const channel = weighted(rng, CHANNEL_MIX);
    const at = reportedAt(rng, input.now, days);
    const plan: Plan = {
      grid,
      category,
      channel,
      reportedAt: at,
      point: pointIn(grid.geom, rng),
      events: [],
      duplicateOf: null,
    };
    plan.events = planLifecycle(plan, limits.get(category) ?? 72);
    plans.push(plan);
  }
  // Duplicates: the same category, a few metres and hours from a case still open then.
  for (let k = 0; k < duplicates;) {
    const original = rng.pick(plans);
    const reportedAtMs = original.reportedAt.getTime() + rng.float(0.5, 40) * HOUR;
    const closed = original.events.find((e) => e.action === 'close' || e.action === 'not_accept');
    const mergeAt = new Date(reportedAtMs + rng.float(0.2, 4) * HOUR);
    if (original.duplicateOf || mergeAt > input.now || (closed && closed.at <= mergeAt)) continue;
    const near: [number, number] = [
      round7(original.point[0] + rng.float(-0.0002, 0.0002)),
      round7(original.point[1] + rng.float(-0.0002, 0.0002)),
    ];
    const inside = booleanPointInPolygon(near, original.grid.geom, { ignoreBoundary: true });
    const plan: Plan = {
      ...original,
      channel: weighted(rng, CHANNEL_MIX),
      reportedAt: new Date(Math.floor(reportedAtMs / 1000) * 1000),
      point: inside ? near : original.point,
      duplicateOf: original,
      events: [],
    };
    const timeline = new Timeline();
    timeline.add(plan.reportedAt, 'report', 'reported', reporter(plan), null, { channel: plan.channel });
    timeline.add(
      new Date(Math.floor(mergeAt.getTime() / 1000) * 1000),
      'merge',
      'merged',
      actors.worker(plan.grid),
      '与已有工单重复，已合并',
      {},
    );
    plan.events = timeline.events;
    plans.push(plan);
    k++;
  }

  plans.sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime());
  const tickets = new Map<Plan, string>(
    plans.map((p, k) => [p, caseTicket(p.reportedAt, (input.firstTicket ?? 1) + k)]),
  );
  return plans.map((plan) => {
    if (plan.duplicateOf) {
      plan.events[0]!.details = { channel: plan.channel, possibleDuplicateOf: tickets.get(plan.duplicateOf) };
      plan.events[1]!.details = { duplicateOf: tickets.get(plan.duplicateOf) };
    }
    const events = plan.events.filter((e) => e.at <= input.now);
    return toCase(plan, tickets.get(plan)!, tickets.get(plan.duplicateOf!) ?? null, events, limits);
  });

  function reporter(plan: Plan) {
    return plan.channel === 'patrol'
      ? actors.worker(plan.grid)
      : plan.channel === 'hotline'
        ? actors.hotline
        : actors.resident;
  }

  /**
   * The whole life of a case as the transitions of server/cases/transitions.ts write it: the
   * grid worker accepts; a case beyond the grid is escalated (grid → community → street) and
   * dispatched there (the street summons departments, 吹哨, or hands it to 12345); the queue
   * holder handles, the grid or community feeds back and closes, the resident may rate.
   */
  function planLifecycle(plan: Plan, limitHours: number): GeneratedEvent[] {
    const { grid } = plan;
    const t = new Timeline();
    const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
    const start = plan.reportedAt.getTime();
    t.add(plan.reportedAt, 'report', 'reported', reporter(plan), null, { channel: plan.channel });
    if (rng.chance(SHARES.notAccepted)) {
      const reason = rng.pick(NOT_ACCEPTED_REASONS);
      t.add(at(start + rng.float(0.5, 8) * HOUR), 'not_accept', 'not_accepted', actors.worker(grid), reason);
      return t.events;
    }
    const accepted = start + (plan.channel === 'patrol' ? rng.float(0.02, 0.3) : rng.float(0.2, 3)) * HOUR;
    t.add(at(accepted), 'accept', 'accepted', actors.worker(grid));
    const department = rng.pick(departmentsOf.get(grid.streetCode) ?? [null]);
    const picked = weighted(rng, HANDLING_MIX);
    const handling = (picked === 'whistle' || picked === 'department') && !department ? 'community' : picked;
    // When it will be closed, as a share of the time limit (a few late ones).
    const span = limitHours * HOUR * (rng.chance(SHARES.late) ? rng.float(1.05, 2.5) : rng.float(0.12, 0.95));
    const when = (share: number) => at(accepted + span * share);
    let queue: Queue = { kind: 'grid', code: grid.code };
    const move = (share: number, action: 'escalate' | 'dispatch', to: Queue, by: CaseActor, details = {}) => {
      const state = action === 'escalate' ? 'accepted' : 'dispatched';
      t.add(when(share), action, state, by, null, { to, from: queue, ...details });
      queue = to;
    };
    const holder = (q: Queue): CaseActor =>
      q.kind === 'grid'
        ? actors.worker(grid)
        : q.kind === 'community'
          ? actors.community(grid)
          : q.kind === 'department'
            ? department!.actor
            : actors.hotline;
    const toDepartment = (share: number, how: string) => ({
      handling: how,
      department: department!.name,
      reportBy: new Date(when(share).getTime() + department!.reportHours * HOUR).toISOString(),
    });
    if (handling === 'on_the_spot') {
      move(0.04, 'dispatch', queue, actors.worker(grid), { handling });
    } else {
      move(0.02, 'escalate', { kind: 'community', code: grid.communityCode }, actors.worker(grid));
      if (handling === 'community') {
        move(0.04, 'dispatch', queue, actors.community(grid), { handling });
      } else {
        move(0.03, 'escalate', { kind: 'street', code: grid.streetCode }, actors.community(grid));
        const to: Queue =
          handling === 'hotline'
            ? { kind: 'hotline', code: '12345' }
            : { kind: 'department', code: String(department!.id) };
        move(
          0.04,
          'dispatch',
          to,
          actors.street(grid),
          handling === 'hotline' ? { handling } : toDepartment(0.04, handling),
        );
        if (handling !== 'hotline' && rng.chance(SHARES.returned / 0.15)) {
          // 退回: not this department's duty; back to the street, which hands it to the community.
          t.add(when(0.15), 'return', 'accepted', holder(queue), rng.pick(RETURN_REASONS), {
            to: { kind: 'street', code: grid.streetCode },
          });
          queue = { kind: 'street', code: grid.streetCode };
          move(0.2, 'dispatch', { kind: 'community', code: grid.communityCode }, actors.street(grid), {
            handling: 'community',
          });
        }
      }
    }
    if (rng.chance(SHARES.note)) t.add(when(0.3), 'note', 'dispatched', holder(queue), rng.pick(NOTES));
    if (rng.chance(SHARES.stalled)) return t.events;
    const closedAt = finish(accepted, span);
    if (!rng.chance(SHARES.rated)) return t.events;
    const rated = closedAt + rng.float(1, 72) * HOUR;
    const rating = weighted(rng, {
      satisfied: SHARES.satisfied,
      basically_satisfied: SHARES.basically,
      unsatisfied: 1 - SHARES.satisfied - SHARES.basically,
    });
    t.add(at(rated), 'rate', 'rated', actors.resident, null, { rating });
    if (rating !== 'unsatisfied' || !rng.chance(SHARES.reopened)) return t.events;
    const reopened = rated + rng.float(2, 24) * HOUR;
    t.add(at(reopened), 'reopen', 'dispatched', actors.community(grid), '居民不满意，重新办理', {
      previousRating: rating,
    });
    const again = finish(reopened, limitHours * HOUR * rng.float(0.2, 0.9));
    t.add(at(again + rng.float(1, 48) * HOUR), 'rate', 'rated', actors.resident, null, {
      rating: rng.chance(0.8) ? 'satisfied' : 'basically_satisfied',
    });
    return t.events;

    /** handle → feedback → close, ending `length` after `from`; returns the closing instant. */
    function finish(from: number, length: number): number {
      const way = (t.events.findLast((e) => e.details.handling)?.details.handling as string) ?? 'on_the_spot';
      t.add(at(from + length * 0.6), 'handle', 'handled', holder(queue), '已处置', { handling: way });
      const offline = rng.chance(0.4);
      const verifier = queue.kind === 'grid' ? actors.worker(grid) : actors.community(grid);
      t.add(
        at(from + length * 0.8),
        'feedback',
        'fed_back',
        verifier,
        offline ? rng.pick(OFFLINE_FEEDBACK_NOTES) : null,
        {
          route: offline ? 'offline' : 'online',
        },
      );
      const dueMs = from === accepted ? accepted + limitHours * HOUR : from + limitHours * HOUR;
      t.add(at(from + length), 'close', 'closed', verifier, '核查属实，予以结案', { onTime: from + length <= dueMs });
      return from + length;
    }
  }
}

type Queue = { kind: QueueKind; code: string };

/** The case row a timeline leads to (the events are already cut at `now`). */
function toCase(
  plan: Plan,
  ticket: string,
  duplicateOf: string | null,
  events: GeneratedEvent[],
  limits: ReadonlyMap<string, number>,
): GeneratedCase {
  const columns = caseColumns(events, limits.get(plan.category) ?? 72, plan.grid.code);
  const rng = createRng(Number(ticket.slice(9)) * 7919);
  const phoneShare = plan.channel === 'hotline' ? 0.95 : plan.channel === 'finder' ? 0.45 : 0.05;
  return {
    ticket,
    category: plan.category,
    channel: plan.channel,
    description: rng.pick(CASE_DESCRIPTIONS[plan.category] ?? ['其他问题']),
    address: plan.channel === 'patrol' || rng.chance(0.5) ? null : `${plan.grid.communityName}${plan.grid.name}附近`,
    lon: plan.point[0],
    lat: plan.point[1],
    grid_code: plan.grid.code,
    community_code: plan.grid.communityCode,
    street_code: plan.grid.streetCode,
    district_code: plan.grid.districtCode,
    reporter_phone: rng.chance(phoneShare) ? mobilePhone(rng) : null,
    hotline_ref: plan.channel === 'hotline' ? `12345-${ticket.replace('-', '')}` : null,
    reported_at: plan.reportedAt,
    ...columns,
    duplicate_of: duplicateOf,
    created_by: plan.channel === 'patrol' ? events[0]!.actor_user_id : null,
    events,
  };
}

/**
 * The columns of cases that follow from a timeline, as server/cases/transitions.ts sets them: the
 * state (as replayCaseTimeline says), the queue of the last move, the handling, and the times of
 * acceptance, handling, closing (不予受理 and merging close too) and rating; reopening clears
 * closing and rating and starts the time limit again.
 */
export function caseColumns(
  events: readonly GeneratedEvent[],
  limitHours: number,
  gridCode: string,
): Pick<
  GeneratedCase,
  | 'state'
  | 'queue_kind'
  | 'queue_code'
  | 'handling'
  | 'accepted_at'
  | 'due_at'
  | 'handled_at'
  | 'closed_at'
  | 'rating'
  | 'rated_at'
  | 'reopened'
  | 'version'
> {
  const state = replayCaseTimeline(events);
  if (!state) throw new Error('a case needs at least its report');
  const out: ReturnType<typeof caseColumns> = {
    state,
    queue_kind: 'grid',
    queue_code: gridCode,
    handling: null,
    accepted_at: null,
    due_at: null,
    handled_at: null,
    closed_at: null,
    rating: null,
    rated_at: null,
    reopened: 0,
    version: events.length,
  };
  for (const e of events) {
    const to = e.details.to as Queue | undefined;
    if (to && (e.action === 'dispatch' || e.action === 'escalate' || e.action === 'return'))
      [out.queue_kind, out.queue_code] = [to.kind, to.code];
    if (e.action === 'dispatch' || e.action === 'handle')
      out.handling = (e.details.handling as string | undefined) ?? out.handling;
    if (e.action === 'not_accept') out.handling = 'not_accepted';
    if (e.action === 'not_accept' || e.action === 'merge' || e.action === 'close') out.closed_at = e.at;
    if (e.action === 'accept' || e.action === 'reopen') out.due_at = dueFrom(e.at, limitHours);
    if (e.action === 'accept') out.accepted_at = e.at;
    if (e.action === 'handle') out.handled_at = e.at;
    if (e.action === 'rate') [out.rating, out.rated_at] = [e.details.rating as CaseRating, e.at];
    if (e.action === 'reopen') {
      out.reopened += 1;
      [out.closed_at, out.rating, out.rated_at, out.handled_at] = [null, null, null, null];
    }
  }
  return out;
}
