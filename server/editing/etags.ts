/**
 * Entity tags for grids, as in OGC API – Features Part 4: a write names the state it was
 * based on with If-Match; a stale tag gets 412 (with the current tags), a missing one 428.
 * A tag names its grid, so one If-Match header carries the tags of every grid a merge
 * touches:
 *   published grid:    "131002001001001.v3"
 *   grid in a draft:   "131002001001001.d7r2"   (draft 7, its revision 2 there)
 */
import { HttpError } from '../http/errors.ts';

export interface TaggedState {
  code: string;
  /** Published version (for a grid the draft has not touched). */
  version: number | null;
  /** The draft and revision, when the draft holds its own state of the grid. */
  draftId: number | null;
  revision: number | null;
}

export function etagOf(state: TaggedState): string {
  return state.draftId !== null && state.revision !== null
    ? `"${state.code}.d${state.draftId}r${state.revision}"`
    : `"${state.code}.v${state.version}"`;
}

/** The tags listed in an If-Match header (we only issue strong tags; W/ is ignored). */
export function parseIfMatch(header: string | undefined): Set<string> | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const tags = header.match(/(W\/)?"[^"]*"/g) ?? [];
  return new Set(tags.map((t) => t.replace(/^W\//, '')));
}

/** Every grid the write touches must be named with its current tag. */
export function checkIfMatch(header: string | undefined, states: readonly TaggedState[]): void {
  const tags = parseIfMatch(header);
  if (!tags) {
    throw new HttpError(
      428,
      'precondition_required',
      'If-Match is required: send the ETag of every grid this edit is based on',
      'If-Match',
    );
  }
  const stale = states.filter((s) => !tags.has(etagOf(s)));
  if (stale.length > 0) {
    throw new HttpError(
      412,
      'precondition_failed',
      `Grid ${stale.map((s) => s.code).join(', ')} changed since it was loaded; reload it and edit again`,
      'If-Match',
      { current: Object.fromEntries(stale.map((s) => [s.code, etagOf(s)])) },
    );
  }
}
