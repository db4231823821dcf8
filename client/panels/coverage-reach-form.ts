/**
 * The reach settings (minutes, walking speed, station kinds) as a form: the 3-minute tab's own,
 * and the same form inside the suggestion tab, so its settings are changed where they are used.
 */
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { STATION_COLORS } from '../map/layers.ts';
import { parseNumberInput, type ReachSettings } from './coverage-logic.ts';

/** `prefix` keeps the ids of the two copies apart ('reach' → #reach-minutes, #reach-run). */
export function reachSettingsForm(
  settings: ReachSettings,
  prefix: string,
  submitLabel: string,
  onApply: (settings: ReachSettings) => void,
): HTMLFormElement {
  const minutes = h('input', {
    type: 'number',
    id: `${prefix}-minutes`,
    min: 0.5,
    max: 60,
    step: 0.5,
    inputmode: 'decimal',
    value: settings.minutes,
  });
  const speed = h('input', {
    type: 'number',
    id: `${prefix}-speed`,
    min: 0.3,
    max: 5,
    step: 0.1,
    inputmode: 'decimal',
    value: settings.speed,
  });
  const kinds = STATION_KINDS.map((kind) => {
    const box = h('input', { type: 'checkbox', name: 'kind', value: kind, 'data-kind': kind });
    box.checked = settings.kinds.includes(kind);
    return h(
      'label',
      { class: 'kind' },
      box,
      h('span', { class: 'dot', style: `--swatch:${STATION_COLORS[kind]}` }),
      t(`station.${kind}`),
    );
  });
  const error = h('p', { class: 'error small', hidden: true });
  const form = h(
    'form',
    { class: 'reach-form', id: `${prefix}-form`, novalidate: true },
    h(
      'div',
      { class: 'reach-inputs' },
      h(
        'label',
        {},
        t('coverage.reach.minutes'),
        minutes,
        h('span', { class: 'unit' }, t('coverage.reach.minutesUnit')),
      ),
      h('label', {}, t('coverage.reach.speed'), speed, h('span', { class: 'unit' }, t('coverage.reach.speedUnit'))),
      h('button', { type: 'submit', class: 'primary', id: `${prefix}-run` }, submitLabel),
    ),
    h(
      'details',
      { class: 'reach-kinds' },
      h('summary', {}, t('coverage.reach.kinds'), ` (${settings.kinds.length}/${STATION_KINDS.length})`),
      h('div', { class: 'kind-grid' }, ...kinds),
    ),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const m = parseNumberInput(minutes.value, 0.5, 60);
    const s = parseNumberInput(speed.value, 0.3, 5);
    const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="kind"]:checked')].map(
      (box) => box.value,
    ) as typeof settings.kinds;
    const message =
      m === null || s === null
        ? t('coverage.reach.badInput')
        : chosen.length === 0
          ? t('coverage.reach.noKinds')
          : null;
    if (message || m === null || s === null) {
      error.textContent = message;
      error.hidden = false;
      return;
    }
    onApply({ minutes: m, speed: s, kinds: chosen });
  });
  return form;
}
