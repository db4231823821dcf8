/**
 * Which grids a tiling check reads: the published ones, or the grids as a draft sees them
 * (its own rows, retired ones left out, and the published grids it has not touched). Every
 * check, publish's and a repair's as well as the validation report's, reads through this one
 * relation, so a draft is judged by exactly the queries that judge the published map.
 */
export interface GridSource {
  /** null: the published grids. */
  draft: number | null;
}

export const PUBLISHED: GridSource = { draft: null };

export const draftSource = (draft: number): GridSource => ({ draft });
