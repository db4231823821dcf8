/**
 * The codes of imported grids (pure). A grid code is 15 digits: its community's 12 and a
 * sequence 001–999. A file's own code is kept when it is valid for the grid's community
 * (right prefix, a sequence of 001–999) and the file gives it to no other grid; every other
 * grid gets the lowest sequence its community has not used (published, in a draft or in the
 * history: a retired grid's code is never given to another). A community cannot hold more
 * than 999 grids, so a file that would need more is refused before anything is written.
 *
 *   planGridCodes(
 *     [{ index: 0, community: '131002001001', code: '131002001001007' }, { index: 1, community: '131002001001' }],
 *     new Map([['131002001001', new Set([1, 2, 7])]]),
 *   )
 *   // → { codes: ['131002001001007', '131002001001003'], kept: 1, allocated: 1, ... }
 */
import { GRID_CODE } from '../../common/domain.ts';
import { communityOf, gridSequence } from '../../common/rules/region-codes.ts';

export const MAX_GRIDS_PER_COMMUNITY = 999;

export interface CodeRequest {
  /** The feature's position in the file. */
  index: number;
  community: string;
  /** The file's code for it, if any. */
  code?: string | null;
}

/** Why a file's code was not kept. */
export type CodeRejection = 'format' | 'community' | 'duplicate';

export interface CodePlan {
  /** The code of each request, in the order given. */
  codes: string[];
  kept: number;
  allocated: number;
  /** Requests whose own code was not kept, and why. */
  replaced: { index: number; code: string; reason: CodeRejection }[];
}

export interface CodesExhausted {
  community: string;
  /** Grids the community would hold: published ones the file leaves, plus the file's. */
  grids: number;
  /** Sequences still free before the import. */
  free: number;
  needed: number;
}

/** The sequence (1–999) of a valid code of `community`, else null. */
export function sequenceOf(code: string, community: string): number | null {
  if (!GRID_CODE.test(code) || communityOf(code) !== community) return null;
  const n = gridSequence(code);
  return n >= 1 && n <= MAX_GRIDS_PER_COMMUNITY ? n : null;
}

function rejection(code: string, community: string): CodeRejection | null {
  if (!GRID_CODE.test(code)) return 'format';
  if (communityOf(code) !== community) return 'community';
  return sequenceOf(code, community) === null ? 'format' : null;
}

/**
 * Codes for every request, or the communities that would go past 999 grids.
 *
 * @param used     per community, the sequences already taken (published grids, drafts, history)
 * @param existing per community, the published grids' codes (to count the community's grids after the import)
 */
export function planGridCodes(
  requests: readonly CodeRequest[],
  used: ReadonlyMap<string, ReadonlySet<number>>,
  existing: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): { ok: true; plan: CodePlan } | { ok: false; exhausted: CodesExhausted[] } {
  const codes: (string | null)[] = requests.map(() => null);
  const replaced: CodePlan['replaced'] = [];
  const claimed = new Set<string>();
  requests.forEach((r, i) => {
    if (!r.code) return;
    const reason = rejection(r.code, r.community) ?? (claimed.has(r.code) ? 'duplicate' : null);
    if (reason) return replaced.push({ index: r.index, code: r.code, reason });
    claimed.add(r.code);
    codes[i] = r.code;
  });

  // Per community: what the file needs allocated, and what is taken.
  const byCommunity = new Map<string, number[]>();
  requests.forEach((r, i) => {
    if (codes[i] !== null) return;
    const list = byCommunity.get(r.community);
    if (list) list.push(i);
    else byCommunity.set(r.community, [i]);
  });
  const claimedBy = new Map<string, number[]>();
  for (const code of claimed) {
    const list = claimedBy.get(communityOf(code));
    if (list) list.push(gridSequence(code));
    else claimedBy.set(communityOf(code), [gridSequence(code)]);
  }
  const taken = (community: string) => new Set([...(used.get(community) ?? []), ...(claimedBy.get(community) ?? [])]);

  // One pass: the file's grids per community and the codes it keeps there.
  const inFile = new Map<string, { grids: number; kept: Set<string> }>();
  requests.forEach((r, i) => {
    let entry = inFile.get(r.community);
    if (!entry) inFile.set(r.community, (entry = { grids: 0, kept: new Set() }));
    entry.grids++;
    if (codes[i]) entry.kept.add(codes[i]!);
  });
  const exhausted: CodesExhausted[] = [];
  for (const [community, entry] of [...inFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const untouched = [...(existing.get(community) ?? [])].filter((c) => !entry.kept.has(c)).length;
    const needed = byCommunity.get(community)?.length ?? 0;
    const free = MAX_GRIDS_PER_COMMUNITY - taken(community).size;
    const grids = untouched + entry.grids;
    if (grids > MAX_GRIDS_PER_COMMUNITY || needed > free)
      exhausted.push({ community, grids, free: Math.max(0, free), needed });
  }
  if (exhausted.length) return { ok: false, exhausted };

  for (const [community, indices] of byCommunity) {
    const set = taken(community);
    let next = 1;
    for (const i of indices) {
      while (set.has(next)) next++;
      set.add(next);
      codes[i] = `${community}${String(next).padStart(3, '0')}`;
    }
  }
  const kept = requests.length - [...byCommunity.values()].reduce((n, list) => n + list.length, 0);
  return { ok: true, plan: { codes: codes as string[], kept, allocated: requests.length - kept, replaced } };
}

/** One sentence per community that would go past 999 grids. */
export function exhaustedMessage(list: readonly CodesExhausted[]): string {
  const first = list
    .slice(0, 5)
    .map((e) =>
      e.grids > MAX_GRIDS_PER_COMMUNITY
        ? `community ${e.community} would hold ${e.grids} grids`
        : `community ${e.community} needs ${e.needed} new codes and has ${e.free} free`,
    );
  const more = list.length > 5 ? ` and ${list.length - 5} more` : '';
  return `A community holds at most ${MAX_GRIDS_PER_COMMUNITY} grids (codes end in 001–999): ${first.join('; ')}${more}; nothing was written`;
}
