/**
 * The running panel on the map, beside the toolbar (as DistrictBuilder and Districtr keep
 * their totals beside the map): the tool in use and its hint, the picked grids' households
 * against the band, a split's parts as the line is drawn, the draft's changes and the problems
 * it would create, and the editor's last message. Always in view while drawing.
 */
import type { SplitPreview } from '../../common/contracts/editing.ts';
import type { GridKind } from '../../common/domain.ts';
import { householdBand, type HouseholdBand, type HouseholdBounds } from '../../common/rules/household-band.ts';
import { append, h, type Child } from '../dom.ts';
import { bandLabel, householdBounds } from '../household-bounds.ts';
import { formatNumber, t, type MessageKey } from '../i18n/index.ts';
import { BAND_COLORS } from '../map/layers.ts';
import type { EditorActions, EditorView } from './editor-view.ts';
import { button } from './editor-toolbar.ts';
import { nameAndCode } from './names.ts';

/** How many changed grids the panel lists before "…另有 N 个". */
const CHANGES_SHOWN = 6;

function section(cls: string, title: Child | Child[], ...body: Child[]) {
  const head = h('h3', {});
  append(head, Array.isArray(title) ? title : [title]);
  const el = h('section', { class: `run-section ${cls}` }, head);
  append(el, body);
  return el;
}

/** "420 户" with the band's swatch and label ("300–500 户"). */
function bandLine(households: number, band: HouseholdBand, bounds: HouseholdBounds | null, cls = '') {
  return h(
    'span',
    { class: `band-line ${cls}`, 'data-band': band },
    h('span', { class: 'swatch', style: `--swatch:${BAND_COLORS[band]}` }),
    h('strong', { class: 'households' }, t('editor.households', { n: formatNumber(households) })),
    ' ',
    h('span', { class: 'muted small band-label' }, bandLabel(band, bounds)),
  );
}

function toolOf(view: EditorView, actions: EditorActions) {
  if (view.tool === 'idle') return null;
  const first = view.picked[0];
  const second = view.picked[1];
  return h(
    'div',
    { class: 'tool-hint' },
    h(
      'p',
      { class: 'small' },
      t(`editor.hint.${view.tool}` as MessageKey, {
        code: first?.name ?? first?.code ?? '',
        neighbour: second?.name ?? second?.code ?? '',
      }),
    ),
    h(
      'div',
      { class: 'actions' },
      view.tool === 'reshape' || view.tool === 'boundary'
        ? button('editor-save-reshape', t('editor.save'), actions.saveReshape, {
            class: 'primary',
            disabled: view.busy,
          })
        : null,
      button('editor-cancel', t('editor.cancel'), actions.cancelTool, { class: 'secondary' }),
    ),
  );
}

function pickedOf(view: EditorView, bounds: HouseholdBounds | null) {
  if (!view.picked.length) return h('p', { class: 'small muted picked' }, t('editor.pickHint'));
  const rows = view.picked.map((g) =>
    h(
      'li',
      { 'data-code': g.code },
      nameAndCode(g.name, g.code),
      h('br'),
      bandLine(g.households, householdBand(g.kind, g.households, bounds ?? undefined), bounds),
    ),
  );
  const total = view.picked.reduce((s, g) => s + g.households, 0);
  const kind: GridKind = view.picked.every((g) => g.kind === 'commercial') ? 'commercial' : 'residential';
  return section(
    'picked',
    t('editor.run.picked'),
    h('ul', { class: 'run-list' }, ...rows),
    view.picked.length > 1
      ? h(
          'p',
          { class: 'small picked-total' },
          t('editor.run.pickedTotal', { n: formatNumber(total) }),
          ' ',
          h('span', { class: 'muted' }, bandLabel(householdBand(kind, total, bounds ?? undefined), bounds)),
        )
      : null,
  );
}

function splitOf(view: EditorView, bounds: HouseholdBounds | null) {
  const split = view.split;
  if (view.tool !== 'split' || !split) return null;
  if (split.status !== 'ok')
    return section(
      'split-preview',
      t('editor.split.title'),
      h(
        'p',
        { class: 'small muted', 'data-status': split.status },
        t(split.status === 'waiting' ? 'editor.split.waiting' : 'editor.split.noCut'),
      ),
    );
  return section('split-preview', t('editor.split.title'), splitParts(split.preview, bounds));
}

function splitParts(preview: SplitPreview, bounds: HouseholdBounds | null) {
  return h(
    'ol',
    { class: 'run-list split-parts' },
    ...preview.parts.map((p, i) => {
      const band = householdBand(preview.kind, p.households, bounds ?? undefined);
      return h(
        'li',
        { class: 'split-part', 'data-households': p.households, 'data-band': band },
        h('span', { class: 'part-name' }, t('editor.split.part', { n: i + 1 })),
        ' ',
        bandLine(p.households, band, bounds, p.households === 0 ? 'zero' : ''),
        h(
          'div',
          { class: 'small muted' },
          p.households_source === 'area_estimate'
            ? t('editor.split.estimate')
            : t('editor.split.buildings', { n: formatNumber(p.buildings) }),
          p.party_orgs.length ? null : h('span', { class: 'error no-party' }, ` · ${t('editor.split.noParty')}`),
        ),
      );
    }),
  );
}

function tallyOf(view: EditorView) {
  if (!view.tally) return null;
  const { households, band, bounds, gaps, overlaps } = view.tally;
  return h(
    'div',
    { class: 'edit-tally', 'data-band': band },
    h('span', { class: 'swatch', style: `--swatch:${BAND_COLORS[band]}` }),
    h('strong', { class: 'tally-households' }, t('editor.households', { n: formatNumber(households) })),
    ' ',
    h('span', { class: 'muted small' }, bandLabel(band, bounds)),
    gaps + overlaps > 0
      ? h('p', { class: 'error small' }, t('editor.wouldCreate', { gaps, overlaps }))
      : h('p', { class: 'small ok-text' }, t('editor.noNewProblems')),
  );
}

function changesOf(view: EditorView) {
  const changes = view.changes ?? [];
  const list = changes
    .slice(0, CHANGES_SHOWN)
    .map((f) =>
      h(
        'li',
        { 'data-state': f.properties.state, 'data-code': f.properties.code },
        h(
          'span',
          { class: `state state-${f.properties.state}` },
          t(`editor.state.${f.properties.state}` as MessageKey),
        ),
        ' ',
        nameAndCode(f.properties.name, f.properties.code),
      ),
    );
  return section(
    'changes',
    [
      t('editor.run.changes'),
      ' ',
      h('span', { class: 'count', 'data-count': changes.length }, t('editor.run.changeCount', { n: changes.length })),
    ],
    changes.length
      ? h('ul', { class: 'run-list' }, ...list)
      : h('p', { class: 'small muted' }, t('editor.run.noChanges')),
    changes.length > CHANGES_SHOWN
      ? h('p', { class: 'small muted' }, t('editor.run.more', { n: changes.length - CHANGES_SHOWN }))
      : null,
  );
}

function problemsOf(view: EditorView, nameOf: (code: string) => string | undefined) {
  const check = view.check;
  if (!check)
    return section(
      'draft-problems',
      t('editor.run.problems'),
      h('p', { class: 'small muted' }, t('editor.run.notChecked')),
    );
  const { conflicts, created, removed, outOfRange } = check;
  const ok = conflicts.length === 0 && created.length === 0;
  const label = (code: string) => nameAndCode(nameOf(code), code);
  return h(
    'div',
    { class: 'draft-check run-section', 'data-ok': String(ok) },
    h('h3', {}, t('editor.run.problems')),
    ok ? h('p', { class: 'small ok-text' }, t('editor.run.noProblems')) : null,
    conflicts.length
      ? h(
          'p',
          { class: 'error small' },
          t('editor.conflicts', { codes: '' }),
          ...conflicts.flatMap((c, i) => [i ? '、' : '', label(c)]),
        )
      : null,
    created.length
      ? h(
          'ul',
          { class: 'small run-list problems' },
          ...created.map((p) =>
            h(
              'li',
              { 'data-type': p.properties.type },
              h('span', { class: 'error' }, t(`validation.type.${p.properties.type}` as MessageKey)),
              ' ',
              ...p.properties.grids.flatMap((c, i) => [i ? '、' : '', label(c)]),
            ),
          ),
        )
      : null,
    outOfRange.length
      ? h(
          'ul',
          { class: 'small run-list out-of-range' },
          ...outOfRange.map((o) =>
            h(
              'li',
              {},
              t('editor.run.outOfRange', {
                grid: nameOf(o.code) ?? o.code,
                n: formatNumber(o.households),
                min: o.min,
                max: o.max,
              }),
            ),
          ),
        )
      : null,
    removed.length ? h('p', { class: 'small muted' }, t('editor.checkRemoved', { n: removed.length })) : null,
  );
}

function messageOf(view: EditorView) {
  if (!view.message) return null;
  return h(
    'div',
    { class: `editor-message ${view.message.kind}`, role: view.message.kind === 'error' ? 'alert' : 'status' },
    h('p', {}, view.message.text),
    view.message.items?.length
      ? h('ul', { class: 'small' }, ...view.message.items.map((item) => h('li', {}, item)))
      : null,
  );
}

/** `nameOf`: a grid's name by its code, for the problems the draft would create. */
export function renderRunningPanel(
  container: HTMLElement,
  view: EditorView,
  actions: EditorActions,
  nameOf: (code: string) => string | undefined,
): void {
  container.hidden = !view.draft;
  if (!view.draft) return container.replaceChildren();
  const bounds = householdBounds.of(view.draft.street_code);
  container.replaceChildren(
    ...[
      toolOf(view, actions),
      splitOf(view, bounds),
      tallyOf(view),
      messageOf(view),
      pickedOf(view, bounds),
      changesOf(view),
      problemsOf(view, nameOf),
    ].filter((c): c is HTMLElement => !!c),
  );
}
