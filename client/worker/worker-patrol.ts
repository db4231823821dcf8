/**
 * 巡查上报: a worker's own find (POST /api/cases, channel patrol) at their GPS position or a tap
 * on the small map, with a category, a description and up to 3 photos. The server routes it to
 * the grid the point lies in, as it does for residents' reports.
 */
import type { CaseConfig } from '../../common/contracts/cases.ts';
import { api } from '../api.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { describeFailure } from '../cases/case-action-form.ts';
import { caseApi } from '../cases/case-api.ts';
import type { PickMap } from './worker-pick-map.ts';

export interface PatrolHandlers {
  created: (ticket: string) => void;
}

// Anci district, until the first position arrives.
const DEFAULT_CENTRE: [number, number] = [116.7, 39.5];

export async function renderPatrol(
  root: HTMLElement,
  config: () => Promise<CaseConfig>,
  handlers: PatrolHandlers,
): Promise<void> {
  const { categories } = await config();
  let point: { lon: number; lat: number } | null = null;
  let pickMap: PickMap | null = null;

  const category = h(
    'select',
    { name: 'category', required: true, id: 'patrol-category' },
    ...categories.map((c) => h('option', { value: c.code }, c.name)),
  );
  const description = h('textarea', { name: 'description', rows: 3, maxlength: 2000, id: 'patrol-description' });
  const photos = h('input', { type: 'file', name: 'photo', accept: 'image/jpeg,image/png,image/webp', multiple: true });
  const where = h('p', { class: 'muted small', id: 'patrol-position' });
  const gps = h('button', { type: 'button', class: 'big secondary', id: 'use-gps' }, t('worker.useGps'));
  const mapBox = h('div', { class: 'pick-map', id: 'pick-map' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'big primary', id: 'patrol-submit' }, t('case.submit'));

  const setPoint = (lon: number, lat: number, centre: boolean) => {
    point = { lon, lat };
    where.textContent = t('worker.located', { lon: lon.toFixed(5), lat: lat.toFixed(5) });
    pickMap?.setPin(lon, lat, centre);
  };

  gps.addEventListener('click', () => {
    if (!navigator.geolocation) return void (where.textContent = t('worker.geoFailed'));
    where.textContent = t('worker.locating');
    navigator.geolocation.getCurrentPosition(
      (position) => setPoint(position.coords.longitude, position.coords.latitude, true),
      () => (where.textContent = t('worker.geoFailed')),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  });

  const form = h(
    'form',
    { class: 'patrol-form', id: 'patrol-form' },
    h('h2', {}, t('worker.patrol')),
    h('label', {}, t('case.category'), category),
    h('label', {}, t('case.description'), description),
    h('div', { class: 'position' }, h('span', { class: 'label' }, t('worker.position')), gps, where),
    h('p', { class: 'muted small' }, t('worker.tapMap')),
    mapBox,
    h('label', {}, t('case.photos'), photos),
    error,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = description.value.trim();
    if (text.length < 2) return void (error.textContent = t('worker.descriptionRequired'));
    if (!point) return void (error.textContent = t('worker.positionRequired'));
    error.textContent = '';
    submit.disabled = true;
    caseApi
      .createPatrol({ category: category.value, description: text, ...point }, [...(photos.files ?? [])].slice(0, 3))
      .then((answer) => handlers.created(answer.ticket))
      .catch((failure: unknown) => (error.textContent = describeFailure(failure, 'report').text))
      .finally(() => (submit.disabled = false));
  });
  root.replaceChildren(form);

  // The map comes after the form is usable; a page without WebGL still has the GPS button.
  void Promise.all([import('./worker-pick-map.ts'), api.config().catch(() => ({ basemapStyleUrl: null }))])
    .then(([module, clientConfig]) =>
      module.createPickMap(mapBox, clientConfig.basemapStyleUrl, DEFAULT_CENTRE, (lon, lat) =>
        setPoint(lon, lat, false),
      ),
    )
    .then((created) => {
      pickMap = created;
      if (point) created.setPin(point.lon, point.lat, true);
      mapBox.dataset.ready = '1';
    })
    .catch(() => mapBox.remove());
}
