/**
 * The drawing tools of an open draft (draw, reshape, move a shared boundary, split) and the one-step edits (merge,
 * retire): each ends in the comment dialog and one write with If-Match. Vertices snap to the
 * street's grids; the live preview runs while an outline changes.
 */
import type { LineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { DraftDetail } from '../../common/contracts/drafts.ts';
import type { EditResponse } from '../../common/contracts/editing.ts';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { RegionFeature } from '../../common/contracts/regions.ts';
import { ApiRequestError } from '../api.ts';
import { api } from '../api.ts';
import { fillTemplate, h, type Child } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { DrawSurface } from '../map/draw.ts';
import { askComment } from './comment-dialog.ts';
import { editorApi, type DraftGridState } from './editor-api.ts';
import type { EditorHost } from './editor-host.ts';
import type { Tool } from './editor-panel.ts';
import {
  containsPoint,
  isPreviewable,
  nearestVertex,
  outlineVertices,
  restoreUnmoved,
  singlePolygon,
} from './edit-logic.ts';
import { LivePreview } from './live-preview.ts';
import { nameAndCode, namesAndCodes } from './names.ts';
import { splitWarnings } from './split-logic.ts';
import { SplitPreviewer } from './split-preview.ts';
import { warnBeforeSplit } from './split-warning.ts';
import { householdBounds } from '../household-bounds.ts';
import { inStreet } from '../../common/rules/region-codes.ts';

const SNAP_PX = 10;

/** The editor as the tools see it. */
export interface ToolHost extends EditorHost {
  fail(error: unknown): void;
  /** A write made this changeset (for 撤销). */
  saved(changeset: number): void;
}

export type EditAction = 'draw' | 'reshape' | 'boundary' | 'split' | 'merge' | 'retire';

export class EditTools {
  communities: RegionFeature[] = [];
  publishedGrids: GridCollection | null = null;
  draftGrids: DraftDetail['grids'] | null = null;
  private draw: DrawSurface | null = null;
  private readonly preview: LivePreview;
  private readonly splitPreview: SplitPreviewer;

  constructor(private readonly host: ToolHost) {
    this.preview = new LivePreview({
      map: host.map,
      draftId: () => host.view.draft?.id,
      kind: () => host.view.picked[0]?.kind ?? 'residential',
      bounds: () => householdBounds.get(host.view.draft?.street_code ?? ''),
      surface: () => this.draw,
      drawing: () => host.view.tool !== 'idle',
      showTally: (tally) => host.update({ tally }),
    });
    this.splitPreview = new SplitPreviewer({
      draftId: () => host.view.draft?.id,
      code: () => host.view.picked[0]?.code,
      splitting: () => host.view.tool === 'split',
      show: (split) => host.update({ split }),
    });
  }

  run(action: EditAction): Promise<void> | void {
    const { draft, picked } = this.host.view;
    if (!draft) return;
    const [grid] = picked;
    switch (action) {
      case 'draw':
        return this.begin('draw', (surface) =>
          surface.drawPolygon({
            change: (polygon) => this.previewCreate(polygon),
            finish: (polygon) => void this.saveCreate(polygon),
          }),
        );
      case 'reshape': {
        const polygon = grid && singlePolygon(grid.geometry);
        if (!grid || !polygon) return this.host.say('error', t('editor.multipart'));
        return this.begin('reshape', (surface) =>
          surface.reshape(polygon, {
            change: (outline) => this.preview.schedule({ geometry: outline, replaces: grid.code }),
          }),
        );
      }
      case 'boundary': {
        // The first picked grid is reshaped; the second (Shift-click) takes the rest of the pair.
        const polygon = grid && picked.length === 2 && singlePolygon(grid.geometry);
        if (!polygon) return this.host.say('error', t('editor.multipart'));
        return this.begin('boundary', (surface) => surface.reshape(polygon, {}));
      }
      case 'split':
        if (!grid) return;
        this.begin('split', (surface) =>
          surface.drawLine({
            change: (line) => this.splitPreview.schedule(line),
            finish: (line) => void this.saveSplit(grid, line),
          }),
        );
        return this.host.update({ split: { status: 'waiting' } });
      case 'merge':
        return this.save(
          t('editor.tool.merge'),
          summary('editor.summary.merge', { grids: namesAndCodes(picked) }),
          (comment) => editorApi.merge(draft.id, picked, comment),
        );
      case 'retire':
        if (!grid) return;
        return this.save(
          t('editor.tool.retire'),
          summary('editor.summary.retire', { grid: nameAndCode(grid.name, grid.code) }),
          (comment) => editorApi.retire(draft.id, grid.code, grid.etag, comment),
        );
    }
  }

  stop(): void {
    this.preview.cancel();
    this.splitPreview.cancel();
    this.draw?.stop();
    this.host.map.suppressClicks(false);
    if (this.host.view.tool !== 'idle' || this.host.view.tally || this.host.view.split) {
      this.host.map.setProblems(null);
      this.host.update({ tool: 'idle', tally: null, split: null });
    }
  }

  /** Save the dragged outline: a reshape of one grid, or the boundary between the two picked. */
  async saveReshape(): Promise<void> {
    const [grid, neighbour] = this.host.view.picked;
    const outline = this.draw?.currentOutline();
    const original = grid && singlePolygon(grid.geometry);
    if (!grid || !outline || !original) return;
    const geometry = restoreUnmoved(outline, original);
    const draftId = this.host.view.draft!.id;
    if (this.host.view.tool === 'boundary' && neighbour) {
      return this.save(
        t('editor.tool.boundary'),
        summary('editor.summary.boundary', {
          grid: nameAndCode(grid.name, grid.code),
          neighbour: nameAndCode(neighbour.name, neighbour.code),
        }),
        (comment) => editorApi.boundary(draftId, grid, neighbour, geometry, comment),
      );
    }
    await this.save(
      t('editor.tool.reshape'),
      summary('editor.summary.reshape', { grid: nameAndCode(grid.name, grid.code) }),
      (comment) => editorApi.reshape(draftId, grid.code, grid.etag, geometry, comment),
    );
  }

  private begin(tool: Exclude<Tool, 'idle'>, start: (surface: DrawSurface) => void): void {
    this.draw ??= this.host.map.createDrawSurface((point) => this.snap(point));
    this.host.map.suppressClicks(true);
    try {
      start(this.draw);
    } catch (error) {
      this.stop();
      return this.host.fail(error);
    }
    this.host.update({ tool, tally: null, message: null });
  }

  /** Snap to a vertex of the street's published grids or the draft's grids near the pointer. */
  private snap(point: { x: number; y: number }): Position | undefined {
    const street = this.host.view.draft?.street_code;
    const published = (this.publishedGrids?.features ?? []).filter(
      (f) => !street || inStreet(f.properties.community_code, street),
    );
    const drafted = (this.draftGrids?.features ?? []).filter((f) => f.properties.state !== 'retired');
    const candidates = outlineVertices([...published, ...drafted].map((f) => f.geometry));
    return nearestVertex(point, candidates, (lon, lat) => this.host.map.project(lon, lat), SNAP_PX);
  }

  private communityAt(point: Position | undefined): string | null {
    if (!point) return null;
    return (
      this.communities.find((c) => c.geometry && containsPoint(c.geometry as Polygon | MultiPolygon, point))?.properties
        .code ?? null
    );
  }

  private previewCreate(polygon: Polygon): void {
    const community = this.communityAt(polygon.coordinates[0]?.[0]);
    if (community && isPreviewable(polygon)) this.preview.schedule({ geometry: polygon, community });
  }

  private async saveCreate(polygon: Polygon): Promise<void> {
    const draft = this.host.view.draft!;
    const community = this.communityAt(polygon.coordinates[0]?.[0]);
    if (!community) {
      this.stop();
      return this.host.say('error', t('editor.noCommunity'));
    }
    const answer = await askComment({
      title: t('editor.tool.draw'),
      summary: summary('editor.summary.draw', {
        community: nameAndCode(
          this.communities.find((c) => c.properties.code === community)?.properties.name,
          community,
        ),
      }),
      gridFields: true,
    });
    if (!answer) return this.stop();
    await this.commit(() =>
      editorApi.create(draft.id, {
        geometry: polygon,
        community,
        name: answer.name!,
        kind: answer.kind!,
        comment: answer.comment,
      }),
    );
  }

  /**
   * Before the comment: what the split would give, and a warning when a part would have no
   * households or no party organisation (with the community's organisations to give it).
   * Going back keeps the drawing and writes nothing.
   */
  private async saveSplit(grid: DraftGridState, line: LineString): Promise<void> {
    let partyOrgs: string[] | undefined;
    try {
      const preview = await this.splitPreview.now(line);
      if (!preview.cuts) return this.host.say('error', t('editor.split.noCut'));
      const warnings = splitWarnings(preview);
      if (warnings.length) {
        const orgs = warnings.some((w) => w.kind === 'no_party_org')
          ? (await api.partyOrgs(grid.community_code)).party_orgs
          : [];
        const answer = await warnBeforeSplit(warnings, orgs);
        if (!answer) return;
        partyOrgs = answer.partyOrgs;
      }
    } catch (error) {
      return this.host.fail(error);
    }
    await this.save(
      t('editor.tool.split'),
      summary('editor.summary.split', { grid: nameAndCode(grid.name, grid.code) }),
      (comment) => editorApi.split(this.host.view.draft!.id, grid.code, grid.etag, line, comment, partyOrgs),
    );
  }

  /** Ask for the comment, then write; cancelling the dialog keeps the drawing. */
  private async save(title: string, summary: Child, write: (comment: string) => Promise<EditResponse>): Promise<void> {
    const answer = await askComment({ title, summary });
    if (!answer) return;
    await this.commit(() => write(answer.comment));
  }

  private async commit(write: () => Promise<EditResponse>): Promise<void> {
    await this.host.busy(async () => {
      let saved: EditResponse;
      try {
        saved = await write();
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 412) return this.stale();
        throw error;
      }
      this.host.saved(saved.changeset);
      this.stop();
      this.host.setPicked([]);
      this.host.say('info', t('editor.saved'));
      await this.host.reloadDraft();
    });
  }

  /** Someone else changed a picked grid: reload what we based the edit on and say so. */
  private async stale(): Promise<void> {
    const draft = this.host.view.draft!;
    this.stop();
    const codes = this.host.view.picked.map((g) => g.code);
    const fresh = await Promise.allSettled(codes.map((code) => editorApi.grid(draft.id, code)));
    this.host.setPicked(fresh.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    await this.host.reloadDraft();
    this.host.say('error', t('editor.stale', { codes: codes.join('、') }));
  }
}

/** A dialog's summary line: the template with names (codes in small print) in its slots. */
function summary(key: MessageKey, slots: Record<string, Node>) {
  return h('span', {}, ...fillTemplate(t(key), slots));
}
