/** The editor as its parts (the draft session, the drawing tools) see it. */
import type { MapAdapter } from '../map/adapter.ts';
import type { DraftGridState } from './editor-api.ts';
import type { EditorView } from './editor-panel.ts';

export interface EditorHost {
  readonly view: EditorView;
  readonly map: MapAdapter;
  update(patch: Partial<EditorView>): void;
  say(kind: 'info' | 'error', text: string): void;
  busy(work: () => Promise<void>): Promise<void>;
  reloadDraft(): Promise<void>;
  setPicked(picked: DraftGridState[]): void;
}
