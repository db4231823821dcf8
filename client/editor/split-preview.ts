/**
 * While a split line is drawn: ask the server what the split would give (each part's
 * households and party organisations), debounced, dropping answers a newer line overtook.
 */
import type { LineString } from 'geojson';
import type { SplitPreview } from '../../common/contracts/editing.ts';
import { editorApi } from './editor-api.ts';
import { debounce } from './edit-logic.ts';

const PREVIEW_DEBOUNCE_MS = 150;

/** What the running panel shows of a split in progress. */
export type SplitState =
  | { status: 'waiting' }
  | { status: 'no_cut'; message: string }
  | { status: 'ok'; preview: SplitPreview; line: LineString };

export interface SplitPreviewHost {
  draftId(): number | undefined;
  /** The grid being split. */
  code(): string | undefined;
  /** False once the tool has stopped: a late answer is dropped. */
  splitting(): boolean;
  show(state: SplitState): void;
}

const stateOf = (preview: SplitPreview, line: LineString): SplitState =>
  preview.cuts ? { status: 'ok', preview, line } : { status: 'no_cut', message: preview.reason ?? '' };

/** Two distinct points at least: anything less cannot cut. */
const isLine = (line: LineString) => new Set(line.coordinates.map((p) => `${p[0]},${p[1]}`)).size >= 2;

export class SplitPreviewer {
  private abort: AbortController | null = null;
  private readonly debounced = debounce((line: LineString) => void this.run(line), PREVIEW_DEBOUNCE_MS);

  constructor(private readonly host: SplitPreviewHost) {}

  schedule(line: LineString): void {
    if (isLine(line)) this.debounced(line);
  }

  cancel(): void {
    this.debounced.cancel();
    this.abort?.abort();
  }

  /** The split of this line now (not debounced), shown and returned. */
  async now(line: LineString): Promise<SplitPreview> {
    this.cancel();
    const draftId = this.host.draftId();
    const code = this.host.code();
    if (draftId === undefined || !code) throw new Error('no grid to split');
    const preview = await editorApi.splitPreview(draftId, code, line);
    if (this.host.splitting()) this.host.show(stateOf(preview, line));
    return preview;
  }

  private async run(line: LineString): Promise<void> {
    const draftId = this.host.draftId();
    const code = this.host.code();
    if (draftId === undefined || !code) return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    try {
      const preview = await editorApi.splitPreview(draftId, code, line, abort.signal);
      if (!abort.signal.aborted && this.host.splitting()) this.host.show(stateOf(preview, line));
    } catch (error) {
      if ((error as Error).name !== 'AbortError') console.warn('split preview failed', error);
    }
  }
}
