/**
 * The coverage check of the selected region (GET /api/validation): counts by type under
 * their severity, each type expandable to its problems, slivers apart, tolerance inputs.
 * The panel follows the region tree while it is open; the map and the tree are told
 * through the options.
 */
import type { ProblemFeature, ValidationReport } from '../../common/contracts/validation.ts';
import type { ProblemType } from '../../common/rules/problem-types.ts';
import { api } from '../api.ts';
import { append, h, named, showCard } from '../dom.ts';
import { formatNumber, onLangChange, t, type MessageKey } from '../i18n/index.ts';
import { PROBLEM_COLORS } from '../map/problem-layers.ts';
import { groupProblems, parseTolerance, type SeverityGroup, type TypeGroup } from '../problems.ts';
import { problemItem, typeLabel, type GridName } from './problem-item.ts';

export interface ValidationRegion {
  code: string;
  name: string;
}

export interface ValidationPanelOptions {
  gridName: GridName;
  /** A new report, or null when the panel closes or the region changes. */
  onReport: (report: ValidationReport | null) => void;
  /** A problem chosen in the list: zoom to it and emphasise it. */
  onProblem: (problem: ProblemFeature) => void;
  onOpenChange: (open: boolean) => void;
}

type Status = { kind: 'idle' } | { kind: 'loading' } | { kind: 'error'; message: string };

/** Longer lists are cut here; the count above them stays exact. */
const LIST_LIMIT = 200;

export class ValidationPanel {
  private region: ValidationRegion | null = null;
  private report: ValidationReport | null = null;
  private status: Status = { kind: 'idle' };
  private tolerances = { area: '1', width: '0.5' };
  private readonly expanded = new Set<ProblemType>();
  private selectedId: string | null = null;
  private controller: AbortController | null = null;
  private readonly head = h('div', { class: 'validation-head' });
  private readonly statusLine = h('p', { class: 'validation-status', role: 'status', 'aria-live': 'polite' });
  private readonly body = h('div', { class: 'validation-body' });

  constructor(
    private readonly container: HTMLElement,
    private readonly options: ValidationPanelOptions,
  ) {
    container.replaceChildren(this.head, this.statusLine, this.body);
    onLangChange(() => this.render());
  }

  get isOpen(): boolean {
    return !this.container.hidden;
  }

  /** Open on the current region (or `region`) and run the check (again, if already open). */
  open(region = this.region): void {
    if (!region) return;
    showCard(this.container, this.options.onOpenChange);
    this.setRegion(region, true);
  }

  /** The region tree's selection: while open, clear the old report and check the new region. */
  setRegion(region: ValidationRegion, force = false): void {
    if (!force && region.code === this.region?.code) return;
    this.region = region;
    this.clear();
    this.renderHead();
    if (this.isOpen) void this.run();
    else this.renderBody();
  }

  close(): void {
    if (!this.isOpen) return;
    this.clear();
    this.container.hidden = true;
    this.options.onOpenChange(false);
  }

  /** A problem picked on the map: open its type in the list and mark it. */
  select(id: string): ProblemFeature | null {
    const problem = this.report?.problems.features.find((f) => f.properties.id === id) ?? null;
    if (!problem) return null;
    this.selectedId = id;
    this.expanded.add(problem.properties.type);
    this.renderBody();
    this.body.querySelector(`[data-problem-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
    return problem;
  }

  /** Run the check for the current region with the tolerances typed in. */
  async run(): Promise<void> {
    const region = this.region;
    if (!region) return;
    const areaTolerance = parseTolerance(this.tolerances.area);
    const widthTolerance = parseTolerance(this.tolerances.width);
    if (areaTolerance === null || widthTolerance === null) {
      this.status = { kind: 'error', message: t('validation.toleranceInvalid') };
      this.render();
      return;
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.status = { kind: 'loading' };
    this.renderBody();
    try {
      const report = await api.validation(region.code, { areaTolerance, widthTolerance }, controller.signal);
      if (controller !== this.controller) return;
      this.report = report;
      this.status = { kind: 'idle' };
      if (!report.problems.features.some((f) => f.properties.id === this.selectedId)) this.selectedId = null;
      this.options.onReport(report);
    } catch (error) {
      if (controller !== this.controller) return;
      this.status = { kind: 'error', message: t('validation.failed', { message: (error as Error).message }) };
    }
    this.renderBody();
  }

  private clear(): void {
    this.controller?.abort();
    this.controller = null;
    this.report = null;
    this.selectedId = null;
    this.status = { kind: 'idle' };
    this.options.onReport(null);
  }

  private render(): void {
    this.renderHead();
    this.renderBody();
  }

  private renderHead(): void {
    const close = h(
      'button',
      { type: 'button', class: 'close', title: t('validation.close'), 'aria-label': t('validation.close') },
      '×',
    );
    close.addEventListener('click', () => this.close());
    const input = (key: 'area' | 'width', label: MessageKey, unit: MessageKey) => {
      const field = h('input', {
        type: 'number',
        min: 0,
        step: 'any',
        inputmode: 'decimal',
        id: `tolerance-${key}`,
        value: this.tolerances[key],
      });
      field.addEventListener('change', () => {
        this.tolerances[key] = field.value;
        void this.run();
      });
      return h('label', { class: 'tolerance' }, t(label), field, h('span', { class: 'unit' }, t(unit)));
    };
    const form = h(
      'form',
      { class: 'tolerances', title: t('validation.tolerancesHint') },
      h('span', { class: 'tolerances-label' }, t('validation.tolerances')),
      input('area', 'validation.areaTolerance', 'validation.unitM2'),
      input('width', 'validation.widthTolerance', 'validation.unitM'),
      h(
        'button',
        {
          type: 'submit',
          class: 'rerun',
          id: 'validation-rerun',
          title: t('validation.rerun'),
          'aria-label': t('validation.rerun'),
        },
        '↻',
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      for (const field of form.querySelectorAll('input'))
        this.tolerances[field.id === 'tolerance-area' ? 'area' : 'width'] = field.value;
      void this.run();
    });
    const region = this.region;
    this.head.replaceChildren();
    append(this.head, [
      close,
      h('h2', {}, t('validation.title')),
      region && h('div', { class: 'validation-region' }, named(region.name, region.code, 'small')),
      form,
    ]);
  }

  private renderBody(): void {
    const status = this.status;
    const report = this.report;
    this.statusLine.classList.toggle('error', status.kind === 'error');
    this.statusLine.textContent =
      status.kind === 'loading'
        ? t('validation.running')
        : status.kind === 'error'
          ? status.message
          : report
            ? t('validation.meta', {
                grids: formatNumber(report.grids),
                communities: formatNumber(report.communities.length),
              })
            : '';
    this.statusLine.title = report && status.kind === 'idle' ? t('validation.areaMethod') : '';
    this.container.classList.toggle('busy', status.kind === 'loading');
    this.container.classList.toggle('stale', status.kind === 'error');
    if (!report) {
      this.body.replaceChildren();
      return;
    }
    const groups = groupProblems(report);
    const problems = groups.filter((g) => g.severity !== 'info').reduce((sum, g) => sum + g.count, 0);
    this.body.replaceChildren();
    append(this.body, [
      problems === 0 && h('p', { class: 'all-ok' }, '✓ ', t('validation.allOk')),
      ...groups.map((group) => this.severitySection(group, report)),
    ]);
  }

  private severitySection(group: SeverityGroup, report: ValidationReport): HTMLElement {
    return h(
      'section',
      { class: `severity ${group.severity}`, 'data-severity': group.severity },
      h(
        'h3',
        {},
        t(`validation.severity.${group.severity}`),
        h('span', { class: 'severity-count' }, formatNumber(group.count)),
      ),
      h('ul', { class: 'problem-types' }, ...group.types.map((type) => this.typeRow(type, report))),
    );
  }

  private typeRow(group: TypeGroup, report: ValidationReport): HTMLLIElement {
    const { type, count, problems } = group;
    const open = this.expanded.has(type) && problems.length > 0;
    const hint = t(`validation.typeHint.${type}` as MessageKey, {
      min: report.householdBounds.min,
      max: report.householdBounds.max,
    });
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'type-row',
        'data-type': type,
        'aria-expanded': String(open),
        title: hint,
        disabled: problems.length === 0,
      },
      h('span', { class: 'chevron' }, problems.length ? (open ? '▾' : '▸') : ''),
      h('span', { class: 'swatch', style: `--swatch:${PROBLEM_COLORS[type]}` }),
      h('span', { class: 'type-label' }, typeLabel(type)),
      h('span', { class: count ? 'type-count' : 'type-count zero', 'data-count': count }, formatNumber(count)),
    );
    toggle.addEventListener('click', () => {
      if (open) this.expanded.delete(type);
      else this.expanded.add(type);
      this.renderBody();
    });
    const row = h('li', { class: 'problem-type' }, toggle);
    if (open) {
      const list = h(
        'ul',
        { class: 'problem-list' },
        ...problems
          .slice(0, LIST_LIMIT)
          .map((p) => problemItem(p, report, this.options.gridName, p.properties.id === this.selectedId)),
      );
      list.addEventListener('click', (event) => {
        const button = (event.target as Element).closest<HTMLElement>('button.problem');
        const problem = problems.find((p) => p.properties.id === button?.dataset.problemId);
        if (!button || !problem) return;
        this.selectedId = problem.properties.id;
        for (const other of this.body.querySelectorAll('button.problem.selected')) other.classList.remove('selected');
        button.classList.add('selected');
        this.options.onProblem(problem);
      });
      row.append(list);
      if (problems.length > LIST_LIMIT)
        row.append(
          h('p', { class: 'muted small more' }, t('validation.more', { count: problems.length - LIST_LIMIT })),
        );
    }
    return row;
  }
}
