/**
 * The editing mode: a draft for one street, the grids picked on the map, the drawing tools,
 * live preview while drawing, and every save through the comment dialog with If-Match.
 */
import type { LineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { DraftDetail, GridCollection, ProblemFeature, RegionFeature, SessionUser, ValidationPreviewRequest } from '../../common/api.ts';
import { householdBand } from '../../common/domain.ts';
import { ApiRequestError } from '../api.ts';
import { onLangChange, t } from '../i18n/index.ts';
import type { MapAdapter } from '../map/adapter.ts';
import type { DrawSurface } from '../map/draw.ts';
import { BAND_COLORS } from '../map/layers.ts';
import { askComment } from './comment-dialog.ts';
import { editorApi, type DraftGridState } from './editor-api.ts';
import { renderEditorPanel, type EditorView, type ToolAction } from './editor-panel.ts';
import { containsPoint, debounce, isPreviewable, nearestVertex, restoreUnmoved, singlePolygon } from './edit-logic.ts';

const PREVIEW_DEBOUNCE_MS = 150;
const SNAP_PX = 10;
/** The server's default snapping on save (create and reshape). */
const SAVE_SNAP_METRES = 0.5;
const draftKey = (user: SessionUser, street: string) => `wangge.draft.${user.username}.${street}`;

export interface EditorOptions {
  /** After a publish: the published grids changed. */
  onPublished: () => void;
  /** Whether the editor is in use (main routes map clicks here while it is). */
  onActiveChange: (active: boolean) => void;
}

export class Editor {
  private user: SessionUser | null = null;
  private selectedStreet: string | null = null;
  private communities: RegionFeature[] = [];
  private publishedGrids: GridCollection | null = null;
  private draftGrids: DraftDetail['grids'] | null = null;
  private draw: DrawSurface | null = null;
  private previewAbort: AbortController | null = null;
  private view: EditorView = { street: null, draft: null, resumable: null, picked: [], tool: 'idle', busy: false, tally: null, check: null, message: null };
  private readonly preview = debounce((body: ValidationPreviewRequest) => void this.runPreview(body), PREVIEW_DEBOUNCE_MS);

  constructor(
    private readonly container: HTMLElement,
    private readonly map: MapAdapter,
    private readonly options: EditorOptions,
  ) {
    onLangChange(() => this.render());
  }

  /** Admins and street editors edit; planners and anonymous users do not see the editor. */
  setUser(user: SessionUser | null): void {
    this.user = user && (user.role === 'admin' || (user.role === 'editor' && user.street_code)) ? user : null;
    this.reset();
  }

  /** The street chosen in the tree (an admin edits that street). */
  setSelectedStreet(street: string | null): void {
    if (street === this.selectedStreet) return;
    this.selectedStreet = street;
    if (this.user?.role === 'admin' && !this.view.draft) this.reset();
  }

  setCommunities(communities: RegionFeature[]): void {
    this.communities = communities;
  }

  setPublishedGrids(grids: GridCollection): void {
    this.publishedGrids = grids;
  }

  /** True while a draft is open: map clicks pick grids for the editor. */
  get active(): boolean {
    return !!this.view.draft;
  }

  /** A click on a grid while editing: pick it (additive with Shift/Ctrl to merge several). */
  async pickGrid(code: string, additive: boolean): Promise<void> {
    const draft = this.view.draft;
    if (!draft || this.view.tool !== 'idle') return;
    const already = this.view.picked.find((g) => g.code === code);
    if (already && additive) return this.setPicked(this.view.picked.filter((g) => g !== already));
    try {
      const grid = await editorApi.grid(draft.id, code);
      if (!grid.community_code.startsWith(draft.street_code.slice(0, 9))) return this.say('error', t('editor.otherStreet', { code }));
      this.setPicked(additive ? [...this.view.picked.filter((g) => g.code !== code), grid] : [grid]);
    } catch (error) {
      this.fail(error);
    }
  }

  clearPicked(): void {
    if (this.view.tool === 'idle') this.setPicked([]);
  }

  private get street(): string | null {
    if (!this.user) return null;
    if (this.user.role === 'editor') return this.user.street_code;
    return this.selectedStreet;
  }

  private reset(): void {
    this.stopTool();
    const street = this.street;
    this.container.hidden = !this.user;
    let resumable: number | null = null;
    if (this.user && street) resumable = Number(localStorage.getItem(draftKey(this.user, street))) || null;
    this.view = { ...this.view, street, draft: null, resumable, picked: [], check: null, message: null };
    this.draftGrids = null;
    this.map.setDraftGrids(null);
    this.map.setPickedGrids([]);
    this.options.onActiveChange(false);
    this.render();
  }

  private render(): void {
    if (!this.user) return;
    renderEditorPanel(this.container, this.view, {
      startDraft: () => void this.startDraft(),
      resumeDraft: (id) => void this.openDraft(id),
      tool: (action) => void this.onTool(action),
      saveReshape: () => void this.saveReshape(),
      cancelTool: () => this.stopTool(),
    });
  }

  private update(patch: Partial<EditorView>): void {
    this.view = { ...this.view, ...patch };
    this.render();
  }

  private say(kind: 'info' | 'error', text: string, items?: string[]): void {
    this.update({ message: { kind, text, items } });
  }

  private async startDraft(): Promise<void> {
    const street = this.street;
    if (!street || !this.user) return;
    await this.busy(async () => {
      const draft = await editorApi.createDraft(street, t('editor.draftTitle', { date: new Date().toLocaleDateString() }));
      localStorage.setItem(draftKey(this.user!, street), String(draft.id));
      await this.openDraft(draft.id);
    });
  }

  private async openDraft(id: number): Promise<void> {
    await this.busy(async () => {
      const detail = await editorApi.draft(id);
      if (detail.draft.status !== 'open') {
        if (this.user && this.view.street) localStorage.removeItem(draftKey(this.user, this.view.street));
        this.update({ resumable: null });
        return this.say('info', t('editor.draftClosed', { id }));
      }
      this.update({ draft: detail.draft, message: null });
      this.showDraft(detail.grids);
      this.options.onActiveChange(true);
    });
  }

  private showDraft(grids: DraftDetail['grids']): void {
    this.draftGrids = grids;
    this.map.setDraftGrids(grids);
  }

  private async reloadDraft(): Promise<void> {
    if (!this.view.draft) return;
    this.showDraft((await editorApi.draft(this.view.draft.id)).grids);
    await this.runCheck();
  }

  private setPicked(picked: DraftGridState[]): void {
    this.map.setPickedGrids(picked.map((g) => ({ type: 'Feature', geometry: g.geometry, properties: { code: g.code } })));
    this.update({ picked });
  }

  private async onTool(action: ToolAction): Promise<void> {
    const draft = this.view.draft;
    if (!draft) return;
    const [grid] = this.view.picked;
    switch (action) {
      case 'draw':
        return this.beginTool('draw', (surface) =>
          surface.drawPolygon({ change: (polygon) => this.previewCreate(polygon), finish: (polygon) => void this.saveCreate(polygon) }),
        );
      case 'reshape': {
        const polygon = grid && singlePolygon(grid.geometry);
        if (!grid || !polygon) return this.say('error', t('editor.multipart'));
        return this.beginTool('reshape', (surface) => surface.reshape(polygon, { change: (outline) => this.preview({ geometry: outline, replaces: grid.code }) }));
      }
      case 'split':
        if (!grid) return;
        return this.beginTool('split', (surface) => surface.drawLine({ finish: (line) => void this.saveSplit(grid, line) }));
      case 'merge':
        return this.save(t('editor.tool.merge'), t('editor.summary.merge', { codes: this.view.picked.map((g) => g.code).join('、') }), (comment) =>
          editorApi.merge(draft.id, this.view.picked, comment),
        );
      case 'retire':
        if (!grid) return;
        return this.save(t('editor.tool.retire'), t('editor.summary.retire', { code: grid.code, name: grid.name }), (comment) =>
          editorApi.retire(draft.id, grid.code, grid.etag, comment),
        );
      case 'check':
        return this.busy(() => this.runCheck());
      case 'publish':
        return this.publish();
    }
  }

  private beginTool(tool: 'draw' | 'reshape' | 'split', start: (surface: DrawSurface) => void): void {
    this.draw ??= this.map.createDrawSurface((point) => this.snap(point));
    this.map.suppressClicks(true);
    try {
      start(this.draw);
    } catch (error) {
      this.stopTool();
      return this.fail(error);
    }
    this.update({ tool, tally: null, message: null });
  }

  private stopTool(): void {
    this.preview.cancel();
    this.previewAbort?.abort();
    this.draw?.stop();
    this.map.suppressClicks(false);
    if (this.view.tool !== 'idle' || this.view.tally) {
      this.map.setProblems(null);
      this.update({ tool: 'idle', tally: null });
    }
  }

  /** Snap to a vertex of the published or drafted grids near the pointer. */
  private snap(point: { x: number; y: number }): Position | undefined {
    const candidates: Position[] = [];
    const collect = (geometry: MultiPolygon) => {
      for (const polygon of geometry.coordinates) for (const ring of polygon) candidates.push(...ring);
    };
    const prefix = this.view.draft?.street_code.slice(0, 9) ?? '';
    for (const f of this.publishedGrids?.features ?? []) if (f.properties.community_code.startsWith(prefix)) collect(f.geometry);
    for (const f of this.draftGrids?.features ?? []) if (f.properties.state !== 'retired') collect(f.geometry);
    return nearestVertex(point, candidates, (lon, lat) => this.map.project(lon, lat), SNAP_PX);
  }

  private communityAt(point: Position | undefined): string | null {
    if (!point) return null;
    return this.communities.find((c) => c.geometry && containsPoint(c.geometry as Polygon | MultiPolygon, point))?.properties.code ?? null;
  }

  private previewCreate(polygon: Polygon): void {
    const community = this.communityAt(polygon.coordinates[0]?.[0]);
    if (community && isPreviewable(polygon)) this.preview({ geometry: polygon, community });
  }

  private async runPreview(body: ValidationPreviewRequest): Promise<void> {
    if (!isPreviewable(singlePolygon(body.geometry) ?? { type: 'Polygon', coordinates: [] })) return;
    this.previewAbort?.abort();
    const abort = (this.previewAbort = new AbortController());
    try {
      // Against the draft's own view, snapped as the save will snap it.
      const result = await editorApi.preview({ ...body, draft: this.view.draft?.id, snapMetres: SAVE_SNAP_METRES }, abort.signal);
      if (abort.signal.aborted || this.view.tool === 'idle') return;
      const kind = this.view.picked[0]?.kind ?? 'residential';
      const band = householdBand(body.replaces ? kind : 'residential', result.candidate.households);
      const count = (type: string) => result.created.features.filter((f: ProblemFeature) => f.properties.type === type).length;
      this.draw?.setFill(BAND_COLORS[band]);
      this.map.setProblems(result.created);
      this.update({ tally: { households: result.candidate.households, band, gaps: count('gap'), overlaps: count('overlap') } });
    } catch (error) {
      if ((error as Error).name !== 'AbortError') console.warn('preview failed', error);
    }
  }

  private async saveCreate(polygon: Polygon): Promise<void> {
    const draft = this.view.draft!;
    const community = this.communityAt(polygon.coordinates[0]?.[0]);
    if (!community) {
      this.stopTool();
      return this.say('error', t('editor.noCommunity'));
    }
    const answer = await askComment({ title: t('editor.tool.draw'), summary: t('editor.summary.draw', { community }), gridFields: true });
    if (!answer) return this.stopTool();
    await this.commit(() => editorApi.create(draft.id, { geometry: polygon, community, name: answer.name!, kind: answer.kind!, comment: answer.comment }));
  }

  private async saveReshape(): Promise<void> {
    const [grid] = this.view.picked;
    const outline = this.draw?.currentOutline();
    const original = grid && singlePolygon(grid.geometry);
    if (!grid || !outline || !original) return;
    await this.save(t('editor.tool.reshape'), t('editor.summary.reshape', { code: grid.code }), (comment) =>
      editorApi.reshape(this.view.draft!.id, grid.code, grid.etag, restoreUnmoved(outline, original), comment),
    );
  }

  private async saveSplit(grid: DraftGridState, line: LineString): Promise<void> {
    await this.save(t('editor.tool.split'), t('editor.summary.split', { code: grid.code, name: grid.name }), (comment) =>
      editorApi.split(this.view.draft!.id, grid.code, grid.etag, line, comment),
    );
  }

  /** Ask for the comment, then write; cancelling the dialog keeps the drawing. */
  private async save(title: string, summary: string, write: (comment: string) => Promise<unknown>): Promise<void> {
    const answer = await askComment({ title, summary });
    if (!answer) return;
    await this.commit(() => write(answer.comment));
  }

  private async commit(write: () => Promise<unknown>): Promise<void> {
    await this.busy(async () => {
      try {
        await write();
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 412) return this.stale();
        throw error;
      }
      this.stopTool();
      this.setPicked([]);
      this.say('info', t('editor.saved'));
      await this.reloadDraft();
    });
  }

  /** Someone else changed a picked grid: reload what we based the edit on and say so. */
  private async stale(): Promise<void> {
    const draft = this.view.draft!;
    this.stopTool();
    const codes = this.view.picked.map((g) => g.code);
    const fresh = await Promise.allSettled(codes.map((code) => editorApi.grid(draft.id, code)));
    this.setPicked(fresh.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    await this.reloadDraft();
    this.say('error', t('editor.stale', { codes: codes.join('、') }));
  }

  private async runCheck(): Promise<void> {
    if (!this.view.draft) return;
    const check = await editorApi.check(this.view.draft.id);
    this.map.setProblems({ type: 'FeatureCollection', features: check.created });
    this.update({ check });
  }

  private async publish(): Promise<void> {
    const draft = this.view.draft!;
    const answer = await askComment({ title: t('editor.tool.publish'), summary: t('editor.summary.publish', { id: draft.id }), override: this.user?.role === 'admin' });
    if (!answer) return;
    await this.busy(async () => {
      try {
        await editorApi.publish(draft.id, answer.comment, answer.override);
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 409) return this.refused(error);
        throw error;
      }
      if (this.user && this.view.street) localStorage.removeItem(draftKey(this.user, this.view.street));
      this.reset();
      this.say('info', t('editor.published', { id: draft.id }));
      this.options.onPublished();
    });
  }

  /** 409 at publish: list the conflicting grids or the problems the draft would create. */
  private async refused(error: ApiRequestError): Promise<void> {
    const conflicts = (error.detail.conflicts as string[] | undefined) ?? [];
    const created = (error.detail.created as ProblemFeature[] | undefined) ?? [];
    const items = [
      ...conflicts.map((code) => t('editor.conflictItem', { code })),
      ...created.map((p) => `${t(`validation.type.${p.properties.type}` as never)} ${p.properties.grids.join('、')}`),
    ];
    if (created.length) this.map.setProblems({ type: 'FeatureCollection', features: created });
    this.say('error', t('editor.publishRefused', { message: error.message }), items);
  }

  private async busy(work: () => Promise<void>): Promise<void> {
    this.update({ busy: true });
    try {
      await work();
    } catch (error) {
      this.fail(error);
    } finally {
      this.update({ busy: false });
    }
  }

  private fail(error: unknown): void {
    const status = error instanceof ApiRequestError ? error.status : 0;
    const text = status === 403 ? t('editor.forbidden') : t('editor.failed', { message: (error as Error).message });
    this.say('error', text);
  }
}
