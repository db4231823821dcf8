/**
 * While an outline is drawn or dragged: ask the server what saving it would do (households,
 * band, new gaps and overlaps), debounced, dropping answers that a newer outline overtook.
 */
import type { ProblemFeature, ValidationPreviewRequest } from '../../common/contracts/validation.ts';
import type { GridKind } from '../../common/domain.ts';
import { householdBand, type HouseholdBounds } from '../../common/rules/household-band.ts';
import type { MapAdapter } from '../map/adapter.ts';
import type { DrawSurface } from '../map/draw.ts';
import { BAND_COLORS } from '../map/layers.ts';
import { editorApi } from './editor-api.ts';
import type { EditorView } from './editor-panel.ts';
import { debounce, isPreviewable, singlePolygon } from './edit-logic.ts';

const PREVIEW_DEBOUNCE_MS = 150;
/** The server's default snapping on save (create and reshape). */
export const SAVE_SNAP_METRES = 0.5;

export interface PreviewHost {
  readonly map: MapAdapter;
  /** The draft the preview is computed against, if one is open. */
  draftId(): number | undefined;
  /** The kind of the grid being reshaped (a new grid counts as residential). */
  kind(): GridKind;
  /** The household bounds of the draft's district (from the API). */
  bounds(): Promise<HouseholdBounds>;
  /** The drawing surface, to colour the outline by band. */
  surface(): DrawSurface | null;
  /** False once the tool has stopped: a late answer is dropped. */
  drawing(): boolean;
  showTally(tally: NonNullable<EditorView['tally']>): void;
}

export class LivePreview {
  private abort: AbortController | null = null;
  private readonly debounced = debounce((body: ValidationPreviewRequest) => void this.run(body), PREVIEW_DEBOUNCE_MS);

  constructor(private readonly host: PreviewHost) {}

  /** Preview this outline soon (a newer call replaces it). */
  schedule(body: ValidationPreviewRequest): void {
    this.debounced(body);
  }

  cancel(): void {
    this.debounced.cancel();
    this.abort?.abort();
  }

  private async run(body: ValidationPreviewRequest): Promise<void> {
    if (!isPreviewable(singlePolygon(body.geometry) ?? { type: 'Polygon', coordinates: [] })) return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const host = this.host;
    try {
      // Against the draft's own view, snapped as the save will snap it.
      const [result, bounds] = await Promise.all([
        editorApi.preview({ ...body, draft: host.draftId(), snapMetres: SAVE_SNAP_METRES }, abort.signal),
        host.bounds(),
      ]);
      if (abort.signal.aborted || !host.drawing()) return;
      const band = householdBand(body.replaces ? host.kind() : 'residential', result.candidate.households, bounds);
      const count = (type: string) =>
        result.created.features.filter((f: ProblemFeature) => f.properties.type === type).length;
      host.surface()?.setFill(BAND_COLORS[band]);
      host.map.setProblems(result.created);
      host.showTally({
        households: result.candidate.households,
        band,
        bounds,
        gaps: count('gap'),
        overlaps: count('overlap'),
      });
    } catch (error) {
      if ((error as Error).name !== 'AbortError') console.warn('preview failed', error);
    }
  }
}
