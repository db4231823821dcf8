/**
 * The load and abuse workloads of issue 8, over real HTTP against a running API: editors
 * racing on two adjacent grids, editors racing on one grid of one draft, and a flood of the
 * public finder from one address while a planner keeps working. They only drive the API and
 * record what each request answered; tests/load/*.test.ts assert on the records and
 * bench/reliability.ts prints them for bench/RESULTS.md.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';

/** A signed-in caller: the session cookie and who it is (history names the user). */
export interface Caller {
  username: string;
  cookie: string;
}

export interface Step {
  step: 'draft' | 'read' | 'boundary' | 'publish';
  status: number;
  ms: number;
  /** The API's error code, when it answered with one. */
  code?: string;
}

export interface EditorOutcome {
  editor: number;
  username: string;
  draftId: number | null;
  steps: Step[];
  /** The publish went through. */
  won: boolean;
  publishChangeset: number | null;
  /** A request that did not answer (network error or our timeout), with its message. */
  failure: string | null;
}

export interface BoundaryRaceOptions {
  url: string;
  callers: readonly Caller[];
  street: string;
  /** The grid whose outline each editor draws, and its neighbour across the shared boundary. */
  grid: string;
  neighbour: string;
  editors?: number;
  /** Editor i starts after i × spreadMs / editors ms, so later editors can build on earlier publishes. */
  spreadMs?: number;
  /** Longest wait for one answer; a request still open after it counts as a hang. */
  requestTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  etag: string | null;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  ms: number;
}

async function call(
  url: string,
  method: string,
  path: string,
  caller: Caller,
  timeoutMs: number,
  options: { body?: unknown; ifMatch?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', cookie: caller.cookie };
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  const t = performance.now();
  const res = await fetch(url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    body = { error: { code: 'not_json', message: text.slice(0, 200) } };
  }
  return { status: res.status, etag: res.headers.get('etag'), body, ms: performance.now() - t };
}

type Position = number[];
const outerRing = (geometry: { type: string; coordinates: unknown }): Position[] =>
  (geometry.type === 'MultiPolygon'
    ? (geometry.coordinates as Position[][][])[0]!
    : (geometry.coordinates as Position[][]))[0]!;
const near = (p: Position, q: Position) => Math.abs(p[0]! - q[0]!) < 1e-9 && Math.abs(p[1]! - q[1]!) < 1e-9;

/**
 * The grid's outline with its boundary pushed `metres` into the neighbour, as an editor drags
 * the middle of the longest edge the two share: a new vertex at that edge's midpoint, moved
 * along the outward normal (7 decimals, as a browser sends). The edge's ends stay where they
 * are, so the pair's outer boundary, which other grids share, is not touched.
 */
export function pushedOutline(
  grid: { type: string; coordinates: unknown },
  neighbour: { type: string; coordinates: unknown },
  pushMetres: number,
): { type: 'Polygon'; coordinates: number[][][] } {
  const ring = outerRing(grid);
  const other = outerRing(neighbour);
  const shared = (p: Position) => other.some((q) => near(p, q));
  let best = -1;
  let bestLength = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [p, q] = [ring[i]!, ring[i + 1]!];
    const length = Math.hypot((q[0]! - p[0]!) * Math.cos((p[1]! * Math.PI) / 180), q[1]! - p[1]!);
    if (shared(p) && shared(q) && length > bestLength) [best, bestLength] = [i, length];
  }
  if (best < 0) throw new Error('the two grids share no edge with both ends at vertices of both');
  // Shoelace sign: counter-clockwise rings have the outside on the right of each edge.
  let twiceArea = 0;
  for (let i = 0; i + 1 < ring.length; i++)
    twiceArea += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  const [p, q] = [ring[best]!, ring[best + 1]!];
  const cos = Math.cos((p[1]! * Math.PI) / 180);
  const [dx, dy] = [(q[0]! - p[0]!) * cos, q[1]! - p[1]!];
  const norm = Math.hypot(dx, dy);
  let metres = pushMetres;
  const [nx, ny] = twiceArea > 0 ? [dy / norm, -dx / norm] : [-dy / norm, dx / norm];
  const round = (v: number) => Math.round(v * 1e7) / 1e7;
  // At most 5 % of the edge: a bump on a short edge left by earlier bumps must not cross its neighbours.
  metres = Math.min(metres, 0.05 * norm * 110_574);
  const apex = [
    round((p[0]! + q[0]!) / 2 + (nx * metres) / (111_320 * cos)),
    round((p[1]! + q[1]!) / 2 + (ny * metres) / 110_574),
  ];
  return { type: 'Polygon', coordinates: [[...ring.slice(0, best + 1), apex, ...ring.slice(best + 1)]] };
}

/**
 * Every editor opens a draft of the street, reads both grids' ETags, moves the shared boundary
 * into the neighbour by its own amount (0.5 m·(i + 1)) with If-Match, and publishes. An editor stops at the first refusal, as a person would reload and start over.
 */
export async function boundaryRace(
  options: BoundaryRaceOptions,
): Promise<{ outcomes: EditorOutcome[]; wallMs: number }> {
  const { url, callers, street, grid, neighbour } = options;
  const editors = options.editors ?? 50;
  const spreadMs = options.spreadMs ?? 2_000;
  const timeoutMs = options.requestTimeoutMs ?? 120_000;
  const t0 = performance.now();

  const editor = async (i: number): Promise<EditorOutcome> => {
    const caller = callers[i % callers.length]!;
    const outcome: EditorOutcome = {
      editor: i,
      username: caller.username,
      draftId: null,
      steps: [],
      won: false,
      publishChangeset: null,
      failure: null,
    };
    const record = (step: Step['step'], a: Answer) => {
      outcome.steps.push({
        step,
        status: a.status,
        ms: Math.round(a.ms),
        ...(a.body.error ? { code: a.body.error.code } : {}),
      });
      return a;
    };
    try {
      await sleep((i * spreadMs) / editors);
      const draft = record(
        'draft',
        await call(url, 'POST', '/api/drafts', caller, timeoutMs, { body: { street, title: `并发编辑 ${i}` } }),
      );
      if (draft.status !== 201) return outcome;
      outcome.draftId = draft.body.id as number;
      const a = record(
        'read',
        await call(url, 'GET', `/api/drafts/${outcome.draftId}/grids/${grid}`, caller, timeoutMs),
      );
      const b = record(
        'read',
        await call(url, 'GET', `/api/drafts/${outcome.draftId}/grids/${neighbour}`, caller, timeoutMs),
      );
      if (a.status !== 200 || b.status !== 200) return outcome;
      const moved = record(
        'boundary',
        await call(url, 'POST', `/api/drafts/${outcome.draftId}/grids/${grid}/boundary`, caller, timeoutMs, {
          ifMatch: `${a.etag}, ${b.etag}`,
          body: {
            neighbour,
            geometry: pushedOutline(a.body.geometry as never, b.body.geometry as never, 0.5 * (i + 1)),
            comment: `边界外推 ${0.5 * (i + 1)} m`,
            snapMetres: 0,
          },
        }),
      );
      if (moved.status !== 200) return outcome;
      const published = record(
        'publish',
        await call(url, 'POST', `/api/drafts/${outcome.draftId}/publish`, caller, timeoutMs, {
          body: { comment: `发布 ${i}` },
        }),
      );
      if (published.status === 200) {
        outcome.won = true;
        outcome.publishChangeset = published.body.changeset as number;
      }
    } catch (error) {
      outcome.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    return outcome;
  };

  const outcomes = await Promise.all(Array.from({ length: editors }, (_, i) => editor(i)));
  return { outcomes, wallMs: performance.now() - t0 };
}

/** The request that ended a losing editor's attempt (its last step). */
export const lastStep = (o: EditorOutcome): Step | undefined => o.steps[o.steps.length - 1];

/**
 * Many concurrent renames of one grid in one draft, all based on the same ETag: only the
 * first to take the draft's lock can match it.
 */
export async function renameRace(options: {
  url: string;
  caller: Caller;
  draftId: number;
  code: string;
  etag: string;
  editors?: number;
  requestTimeoutMs?: number;
}) {
  const editors = options.editors ?? 50;
  const timeoutMs = options.requestTimeoutMs ?? 120_000;
  const t0 = performance.now();
  const answers = await Promise.all(
    Array.from({ length: editors }, async (_, i) => {
      try {
        const a = await call(
          options.url,
          'PATCH',
          `/api/drafts/${options.draftId}/grids/${options.code}`,
          options.caller,
          timeoutMs,
          {
            ifMatch: options.etag,
            body: { name: `并发改名 ${i}`, comment: `改名 ${i}` },
          },
        );
        return {
          editor: i,
          name: `并发改名 ${i}`,
          status: a.status,
          ms: a.ms,
          body: a.body,
          failure: null as string | null,
        };
      } catch (error) {
        return { editor: i, name: `并发改名 ${i}`, status: 0, ms: NaN, body: {}, failure: String(error) };
      }
    }),
  );
  return { answers, wallMs: performance.now() - t0 };
}

export interface LatencySummary {
  n: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

export function latencySummary(samples: readonly number[]): LatencySummary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const round = (v: number) => Math.round(v * 10) / 10;
  return { n: s.length, medianMs: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(s[s.length - 1] ?? NaN) };
}

export interface FloodOptions {
  url: string;
  /** Requests to GET /api/public/locate from this one address. */
  amount?: number;
  connections?: number;
  /** The area to pick points in: [minLon, minLat, maxLon, maxLat]. */
  bbox: [number, number, number, number];
  /** A signed-in staff member, and the read they keep doing during the flood. */
  staff: Caller;
  staffPath: string;
  /** Staff requests to time before the flood (the baseline). */
  staffBaseline?: number;
}

export interface FloodResult {
  requests: number;
  /** autocannon's count of answers by status. */
  statuses: Record<string, number>;
  /** 429 answers without a Retry-After header. */
  retryAfterMissing: number;
  errors: number;
  timeouts: number;
  durationMs: number;
  public: { p50Ms: number; p99Ms: number; maxMs: number };
  staffBefore: LatencySummary;
  staffDuring: LatencySummary;
  staffStatuses: Record<string, number>;
  /** This process (server and load generator together) after a full collection, MB. */
  memoryBefore: { rssMB: number; heapUsedMB: number };
  memoryAfter: { rssMB: number; heapUsedMB: number };
}

/** The collector, for measuring what is retained rather than garbage not yet collected. */
const collectGarbage = (): void => {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
};

const megabytes = () => {
  collectGarbage();
  const m = process.memoryUsage();
  return { rssMB: Math.round(m.rss / 1048576), heapUsedMB: Math.round(m.heapUsed / 1048576) };
};

/**
 * autocannon floods the public finder from one address (points spread over `bbox` on a fixed
 * lattice), while a planner's requests run one after another until the flood is over.
 */
export async function publicFlood(options: FloodOptions): Promise<FloodResult> {
  const amount = options.amount ?? 5_000;
  const connections = options.connections ?? 10;
  const staffCall = async () => {
    const t = performance.now();
    const res = await fetch(options.url + options.staffPath, { headers: { cookie: options.staff.cookie } });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t };
  };
  const staffStatuses: Record<string, number> = {};
  const before: number[] = [];
  for (let i = 0; i < 5; i++) await staffCall(); // warm-up: first reads fill caches
  for (let i = 0; i < (options.staffBaseline ?? 20); i++) {
    const a = await staffCall();
    staffStatuses[a.status] = (staffStatuses[a.status] ?? 0) + 1;
    before.push(a.ms);
  }
  const memoryBefore = megabytes();

  const [x0, y0, x1, y1] = options.bbox;
  let n = 0;
  let retryAfterMissing = 0;
  const nextPath = () => {
    const k = n++;
    const lon = x0 + ((k * 0.618034) % 1) * (x1 - x0);
    const lat = y0 + ((k * 0.414214) % 1) * (y1 - y0);
    return `/api/public/locate?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}`;
  };
  let flooding = true;
  const during: number[] = [];
  const staffLoop = (async () => {
    // eslint-disable-next-line no-unmodified-loop-condition -- set false by the flood below, while this loop awaits
    while (flooding) {
      const a = await staffCall();
      staffStatuses[a.status] = (staffStatuses[a.status] ?? 0) + 1;
      during.push(a.ms);
    }
  })();
  const t = performance.now();
  const result = await autocannon({
    url: options.url,
    connections,
    amount,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: nextPath() }),
        onResponse: (status, _body, _context, headers) => {
          if (status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after'))
            retryAfterMissing++;
        },
      },
    ],
  });
  const durationMs = performance.now() - t;
  flooding = false;
  await staffLoop;
  const memoryAfter = megabytes();
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    requests: Object.values(statuses).reduce((s, v) => s + v, 0),
    statuses,
    retryAfterMissing,
    errors: result.errors,
    timeouts: result.timeouts,
    durationMs: Math.round(durationMs),
    public: { p50Ms: result.latency.p50, p99Ms: result.latency.p99, maxMs: result.latency.max },
    staffBefore: latencySummary(before),
    staffDuring: latencySummary(during),
    staffStatuses,
    memoryBefore,
    memoryAfter,
  };
}
