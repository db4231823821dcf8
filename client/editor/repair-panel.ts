/**
 * 问题与修复: the draft's gaps, overlaps and slivers with 修复 on each (to the longest shared
 * edge, or a grid picked beside it), 批量修复 up to an area for the draft's street listing what
 * it did, and for admins 标为允许 with the reason typed in the page. The element is kept
 * across the editor's re-renders, so what is typed in it stays.
 */
import type { Polygon } from 'geojson';
import type { SessionUser } from '../../common/contracts/auth.ts';
import type { RepairResponse } from '../../common/contracts/repairs.ts';
import type { ProblemFeature, ValidationReport } from '../../common/contracts/validation.ts';
import { append, h } from '../dom.ts';
import { formatNumber, lang, t, type MessageKey } from '../i18n/index.ts';
import type { MapAdapter } from '../map/adapter.ts';
import { bboxOf, formatArea } from '../problems.ts';
import type { EditorView } from './editor-view.ts';
import { repairApi } from './repair-api.ts';
import { namesAndCodes } from './names.ts';
import { isGapProblem, repairKind } from '../../common/rules/problem-types.ts';

/** The editor as this module sees it. */
export interface RepairHost {
  readonly view: EditorView;
  readonly map: MapAdapter;
  readonly user: SessionUser | null;
  say(kind: 'info' | 'error', text: string): void;
  busy(work: () => Promise<void>): Promise<void>;
  saved(changeset: number): void;
  reloadDraft(): Promise<void>;
  /** A grid's name as the draft or the published map knows it. */
  gridName(code: string): string | undefined;
}

export const DEFAULT_MAX_AREA_M2 = 2000;

const viewPolygon = ([w, s, e, n]: [number, number, number, number]): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

export class RepairPanel {
  readonly element = h('section', { class: 'repair-panel', 'aria-labelledby': 'repair-title' });
  private report: ValidationReport | null = null;
  private loading = false;
  private results: string[] = [];
  private allowing: string | null = null;
  private readonly maxArea = h('input', {
    id: 'repair-max-area',
    type: 'number',
    min: 1,
    step: 100,
    value: DEFAULT_MAX_AREA_M2,
    class: 'repair-max-area',
  });
  private readonly scope = h('select', { id: 'repair-scope', class: 'repair-scope' });
  private readonly reason = h('input', { id: 'repair-reason', type: 'text', maxlength: 2000, placeholder: '' });

  constructor(private readonly editor: RepairHost) {}

  clear(): void {
    this.report = null;
    this.results = [];
    this.allowing = null;
    this.render();
  }

  /** Read the draft's problems again (after opening it, and after every change). */
  async load(): Promise<void> {
    const draft = this.editor.view.draft;
    if (!draft) return this.clear();
    this.loading = true;
    this.render();
    try {
      this.report = await repairApi.problems(draft.id);
    } finally {
      this.loading = false;
      this.render();
    }
  }

  private get problems(): ProblemFeature[] {
    return (this.report?.problems.features ?? []).filter((p) => repairKind(p) !== null);
  }

  private async repair(problem: ProblemFeature, to: string): Promise<void> {
    const draft = this.editor.view.draft;
    if (!draft) return;
    await this.editor.busy(async () =>
      this.done(await repairApi.repair(draft.id, problem.properties.id, to || undefined)),
    );
  }

  private async batch(): Promise<void> {
    const draft = this.editor.view.draft;
    const max = Number(this.maxArea.value);
    if (!draft) return;
    if (!Number.isFinite(max) || max <= 0) return this.editor.say('error', t('repair.maxAreaInvalid'));
    await this.editor.busy(async () => {
      const region = this.scope.value === 'view' ? viewPolygon(this.editor.map.viewBbox()) : draft.street_code;
      const answer = await repairApi.batch(draft.id, region, max);
      if (answer.repairs.length === 0) {
        this.results = [t('repair.nothing')];
        return this.render();
      }
      await this.done(answer, true);
    });
  }

  private async done(answer: RepairResponse, batch = false): Promise<void> {
    const repaired = answer.repairs.filter((r) => r.status === 'repaired');
    this.results = [
      ...(batch
        ? [t('repair.batchDone', { repaired: repaired.length, skipped: answer.repairs.length - repaired.length })]
        : []),
      ...answer.repairs.map((r) =>
        r.status === 'repaired'
          ? t('repair.done', { problem: this.label(r.type, r.areaM2), to: r.to ?? '' })
          : t('repair.skipped', { problem: this.label(r.type, r.areaM2), reason: r.reason ?? '' }),
      ),
    ];
    if (answer.changeset !== null) this.editor.saved(answer.changeset);
    await this.editor.reloadDraft();
  }

  private async allow(problem: ProblemFeature): Promise<void> {
    const reason = this.reason.value.trim();
    if (!reason) return this.editor.say('error', t('repair.reasonRequired'));
    await this.editor.busy(async () => {
      await repairApi.allow(problem.properties.id, reason);
      this.allowing = null;
      this.reason.value = '';
      this.results = [t('repair.allowed', { problem: this.label(problem.properties.type, problem.properties.areaM2) })];
      await this.load();
    });
  }

  private label(type: string, areaM2: number | null): string {
    return `${t(`validation.type.${type}` as MessageKey)}${areaM2 === null ? '' : ` ${formatArea(areaM2, lang())} m²`}`;
  }

  render(): void {
    const draft = this.editor.view.draft;
    const busy = this.editor.view.busy || this.loading;
    const admin = this.editor.user?.role === 'admin';
    this.element.replaceChildren();
    if (!draft) return;
    const reload = h(
      'button',
      { type: 'button', id: 'repair-load', class: 'secondary small-button', disabled: busy },
      t('repair.load'),
    );
    reload.addEventListener('click', () => void this.editor.busy(() => this.load()));
    const batch = h(
      'button',
      { type: 'button', id: 'repair-batch', class: 'primary', disabled: busy },
      t('repair.batch'),
    );
    batch.addEventListener('click', () => void this.batch());
    const problems = this.problems;
    append(this.element, [
      h('h3', { id: 'repair-title' }, t('repair.title'), ' ', reload),
      this.loading
        ? h('p', { class: 'muted small' }, t('repair.loading'))
        : h('p', { class: 'small' }, problems.length ? t('repair.count', { n: problems.length }) : t('repair.none')),
      h('ul', { class: 'repair-list' }, ...problems.map((p) => this.item(p, busy, admin))),
      h(
        'div',
        { class: 'repair-batch' },
        h('label', { for: 'repair-max-area', class: 'small' }, t('repair.maxArea')),
        this.maxArea,
        h('label', { for: 'repair-scope', class: 'small' }, t('repair.scope')),
        this.scopeOptions(),
        batch,
      ),
      this.report?.allowed?.features.length
        ? h(
            'p',
            { class: 'muted small' },
            t('repair.allowedList', { n: formatNumber(this.report.allowed.features.length) }),
          )
        : null,
      this.results.length
        ? h('ul', { class: 'repair-results small', role: 'status' }, ...this.results.map((line) => h('li', {}, line)))
        : null,
    ]);
  }

  /** 街道 (the draft's street) or 当前视图 (what the map shows); the choice survives re-renders. */
  private scopeOptions(): HTMLSelectElement {
    const value = this.scope.value || 'street';
    this.scope.replaceChildren(
      h('option', { value: 'street' }, t('repair.scopeStreet')),
      h('option', { value: 'view' }, t('repair.scopeView')),
    );
    this.scope.value = value;
    return this.scope;
  }

  private item(problem: ProblemFeature, busy: boolean, admin: boolean): HTMLLIElement {
    const p = problem.properties;
    const choice = h(
      'select',
      { class: 'repair-to', 'aria-label': t('repair.auto') },
      h('option', { value: '' }, t('repair.auto')),
      ...p.grids.map((code) =>
        h('option', { value: code, title: code }, t('repair.to', { grid: this.editor.gridName(code) ?? code })),
      ),
    );
    const fix = h(
      'button',
      {
        type: 'button',
        class: 'primary repair-fix',
        'data-problem-id': p.id,
        title: t('repair.fixTitle'),
        disabled: busy,
      },
      t('repair.fix'),
    );
    fix.addEventListener('click', () => void this.repair(problem, choice.value));
    const zoom = h(
      'button',
      { type: 'button', class: 'problem', 'data-problem-id': p.id, title: t('validation.zoomTo') },
      this.label(p.type, p.areaM2),
      ' ',
      h(
        'span',
        { class: 'problem-codes' },
        namesAndCodes(p.grids.map((code) => ({ code, name: this.editor.gridName(code) }))),
      ),
    );
    zoom.addEventListener('click', () => {
      const [lon, lat] = p.point;
      this.editor.map.showProblem(bboxOf(problem.geometry) ?? [lon, lat, lon, lat]);
    });
    const row = h(
      'li',
      { class: 'repair-item', 'data-type': p.type },
      zoom,
      h('div', { class: 'repair-actions' }, choice, fix),
    );
    if (admin && isGapProblem(problem)) {
      if (this.allowing === p.id) {
        const ok = h(
          'button',
          { type: 'button', class: 'secondary', id: 'repair-allow-confirm', disabled: busy },
          t('repair.confirmAllow'),
        );
        ok.addEventListener('click', () => void this.allow(problem));
        const cancel = h('button', { type: 'button', class: 'secondary' }, t('repair.cancel'));
        cancel.addEventListener('click', () => {
          this.allowing = null;
          this.render();
        });
        this.reason.placeholder = t('repair.reason');
        row.append(h('div', { class: 'repair-allow' }, this.reason, ok, cancel));
      } else {
        const allow = h(
          'button',
          { type: 'button', class: 'secondary repair-allow-open', title: t('repair.allowTitle'), disabled: busy },
          t('repair.allow'),
        );
        allow.addEventListener('click', () => {
          this.allowing = p.id;
          this.render();
          this.reason.focus();
        });
        row.querySelector('.repair-actions')!.append(allow);
      }
    }
    return row;
  }
}
