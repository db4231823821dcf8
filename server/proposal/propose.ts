/**
 * A grid proposal for a community or a street of a draft (issue 19, ADR 0020): build each
 * community's unit graph from the grids as the draft sees them, regionalise it, turn the
 * regions into outlines that tile the community, and measure the result.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Proposal, ProposalMode } from '../../common/contracts/proposals.ts';
import type { Bounds } from './unit-graph.ts';

export interface ProposeInput {
  /** The draft whose view of the grids is divided; null: the published grids (the CLI). */
  draftId: number | null;
  scope: { level: 'community' | 'street'; code: string };
  mode: ProposalMode;
  seed: number;
  bounds: Bounds;
}

/** The proposal as computed; the route stores it and adds id, draft and applied. */
export type ProposalResult = Omit<Proposal, 'id' | 'draft' | 'applied'>;

export async function proposeGrids(
  db: Kysely<DB>,
  input: ProposeInput,
  onProgress?: (done: number, total: number) => void,
): Promise<ProposalResult> {
  void db;
  void input;
  void onProgress;
  throw new Error('proposeGrids: being written (issue 19)');
}
