/** What the editor's panel and toolbar draw (the view) and what their buttons call (the actions). */
import type { Draft, DraftDetail, PublishCheckResponse } from '../../common/contracts/drafts.ts';
import type { HouseholdBand, HouseholdBounds } from '../../common/rules/household-band.ts';
import type { DraftGridState, HistoryRow } from './editor-api.ts';
import type { SplitState } from './split-preview.ts';

export type Tool = 'idle' | 'draw' | 'reshape' | 'boundary' | 'split';
export type ToolAction =
  'draw' | 'reshape' | 'boundary' | 'split' | 'merge' | 'retire' | 'attributes' | 'propose' | 'check' | 'publish';

export interface EditorView {
  street: string | null;
  /** The street's name (the code until it is known). */
  streetName: string | null;
  draft: Draft | null;
  /** The street's open drafts, offered to continue (null while loading). */
  drafts: Draft[] | null;
  picked: DraftGridState[];
  tool: Tool;
  busy: boolean;
  canUndo: boolean;
  canRedo: boolean;
  tally: { households: number; band: HouseholdBand; bounds: HouseholdBounds; gaps: number; overlaps: number } | null;
  /** The split in progress: each part's households and organisations as the line is drawn. */
  split: SplitState | null;
  /** The grids the draft changed (new, changed, retired). */
  changes: DraftDetail['grids']['features'] | null;
  check: PublishCheckResponse | null;
  history: HistoryRow[] | null;
  /** The history entry drawn on the map. */
  shownHistory: number | null;
  message: { kind: 'info' | 'error'; text: string; items?: string[] } | null;
}

export interface EditorActions {
  startDraft(): void;
  openDraft(id: number): void;
  discardDraft(): void;
  tool(action: ToolAction): void;
  undo(): void;
  redo(): void;
  saveReshape(): void;
  cancelTool(): void;
  showHistory(entry: HistoryRow | null): void;
}
