/**
 * 我要反映: the phone-first report form. Category chips, a description, the place (GPS, a tap on
 * the map, or the grid of the board whose QR code opened the page), up to 3 photos checked
 * before upload, an optional call-back phone. Each field says what is wrong beside it; a field
 * the server refuses (error.param) is marked the same way.
 */
import type { NewPublicCase, NewPublicCaseResponse } from '../../common/contracts/cases.ts';
import { h } from '../dom.ts';
import { caseApi, CaseApiError, type PublicCategory } from './case-api.ts';
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_ACCEPT, photoTypeOf } from '../../common/rules/case-photos.ts';
import { checkPhotos, validDescription, validPhone } from './case-format.ts';
import { categoryLabel, ct, type CaseKey } from './case-i18n.ts';
import { findApi } from './find-api.ts';

type CodeName = { code: string; name: string };
/** Where the problem is: a point (GPS or a map tap) with the grid it falls in, or a board's grid. */
export type CaseLocation =
  | { kind: 'gps' | 'tap'; lon: number; lat: number; grid: CodeName | null; community: CodeName | null }
  | { kind: 'qr'; grid: CodeName; community: CodeName | null };

export interface ReportFormHost {
  /** Hide the form, let the resident tap the map; null when cancelled or no map. */
  pickOnMap(): Promise<{ lon: number; lat: number } | null>;
  submitted(answer: NewPublicCaseResponse, category: PublicCategory, place: CaseLocation): void;
}

type Field = 'category' | 'description' | 'location' | 'photo' | 'phone' | 'form';

export interface ReportForm {
  element: HTMLFormElement;
  /** The place the finder shows now (a located point, a board's grid): taken unless one is chosen. */
  offerLocation(place: CaseLocation | null): void;
}

export function reportForm(host: ReportFormHost): ReportForm {
  let categories: PublicCategory[] = [];
  let category: PublicCategory | null = null;
  let location: CaseLocation | null = null;
  let photos: File[] = [];

  const errors = {} as Record<Field, HTMLElement>;
  const errorLine = (field: Field) =>
    (errors[field] = h('p', { class: 'field-error', id: `case-error-${field}`, role: 'alert', hidden: true }));
  const showError = (field: Field, message: string | null) => {
    errors[field].textContent = message ?? '';
    errors[field].hidden = !message;
  };

  const chips = h('div', { class: 'chips wrap', id: 'case-categories', role: 'radiogroup' }, ct('categoriesLoading'));
  const description = h('textarea', {
    id: 'case-description',
    name: 'description',
    rows: 4,
    maxlength: 2000,
    placeholder: ct('descriptionPlaceholder'),
  });
  const where = h('div', { class: 'case-where', id: 'case-where' });
  const address = h('input', {
    id: 'case-address',
    name: 'address',
    maxlength: 200,
    placeholder: ct('addressPlaceholder'),
    autocomplete: 'off',
  });
  const fileInput = h('input', {
    id: 'case-photo-input',
    type: 'file',
    accept: PHOTO_ACCEPT,
    multiple: true,
    class: 'visually-hidden',
  });
  const photoList = h('ul', { class: 'case-photos', id: 'case-photos' });
  const phone = h('input', {
    id: 'case-phone',
    name: 'phone',
    type: 'tel',
    inputmode: 'tel',
    maxlength: 20,
    autocomplete: 'tel',
  });
  const submit = h('button', { type: 'submit', class: 'case-submit', id: 'case-submit' }, ct('submit'));

  function renderChips(): void {
    chips.replaceChildren(
      ...categories.map((c) => {
        const chip = h(
          'button',
          { type: 'button', class: 'chip', role: 'radio', 'data-code': c.code, 'aria-checked': String(c === category) },
          categoryLabel(c),
        );
        chip.addEventListener('click', () => {
          category = c;
          showError('category', null);
          renderChips();
        });
        return chip;
      }),
    );
  }

  function renderWhere(): void {
    const lines: (string | HTMLElement)[] = [];
    if (!location) lines.push(h('span', { class: 'muted' }, ct('locationNone')));
    else {
      const source = ct(
        location.kind === 'qr' ? 'locationFromQr' : location.kind === 'gps' ? 'locationGps' : 'locationTapped',
      );
      lines.push(h('span', { class: 'where-source' }, source));
      if (location.grid)
        lines.push(
          h('strong', { id: 'case-grid', 'data-code': location.grid.code }, `${ct('goesTo')} ${location.grid.name}`),
        );
      else lines.push(h('strong', { id: 'case-grid', class: 'outside' }, ct('locationOutside')));
      if (location.community) lines.push(h('span', { class: 'muted' }, location.community.name));
    }
    where.replaceChildren(...lines);
    where.dataset.kind = location?.kind ?? '';
  }

  async function setPoint(kind: 'gps' | 'tap', lon: number, lat: number): Promise<void> {
    where.replaceChildren(h('span', { class: 'muted' }, ct('locating')));
    const answer = await findApi.locate(lon, lat).catch(() => null);
    location = { kind, lon, lat, grid: answer?.grid ?? null, community: answer?.community ?? null };
    showError('location', null);
    renderWhere();
  }

  function locate(): void {
    if (!('geolocation' in navigator)) return showError('location', ct('errGeo'));
    where.replaceChildren(h('span', { class: 'muted' }, ct('locating')));
    navigator.geolocation.getCurrentPosition(
      (p) => void setPoint('gps', p.coords.longitude, p.coords.latitude),
      () => {
        renderWhere();
        showError('location', ct('errGeo'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  }

  async function pick(): Promise<void> {
    const point = await host.pickOnMap();
    if (point) await setPoint('tap', point.lon, point.lat);
  }

  function renderPhotos(): void {
    photoList.replaceChildren(
      ...photos.map((file, i) => {
        const remove = h('button', { type: 'button', class: 'photo-remove' }, ct('removePhoto'));
        remove.addEventListener('click', () => {
          photos = photos.filter((_, j) => j !== i);
          renderPhotos();
        });
        const url = URL.createObjectURL(file);
        const img = h('img', { src: url, alt: file.name });
        img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
        return h('li', { class: 'case-photo' }, img, remove);
      }),
    );
    addPhoto.hidden = photos.length >= MAX_PHOTOS;
  }

  const addPhoto = h('button', { type: 'button', class: 'case-add-photo', id: 'case-add-photo' }, ct('addPhoto'));
  addPhoto.addEventListener('click', () => fileInput.click());
  /** A file with the type its first bytes say (a renamed text file is not a photo). */
  const sniffed = async (file: File) => ({
    file,
    name: file.name,
    size: file.size,
    type: photoTypeOf(new Uint8Array(await file.slice(0, 16).arrayBuffer())),
  });
  fileInput.addEventListener('change', async () => {
    const added = await Promise.all(Array.from(fileInput.files ?? []).map(sniffed));
    fileInput.value = '';
    const chosen = [...(await Promise.all(photos.map(sniffed))), ...added];
    const problem = checkPhotos(chosen);
    if (problem) {
      const mb = MAX_PHOTO_BYTES / 1024 / 1024;
      showError(
        'photo',
        problem.reason === 'tooMany'
          ? ct('errTooMany', { n: problem.max })
          : ct(problem.reason === 'type' ? 'errPhotoType' : 'errPhotoSize', { name: problem.name, mb }),
      );
      // Keep the good ones up to the limit: a single bad file does not drop the others.
      photos = chosen
        .filter((f) => checkPhotos([f]) === null)
        .map((f) => f.file)
        .slice(0, MAX_PHOTOS);
    } else {
      showError('photo', null);
      photos = chosen.map((f) => f.file);
    }
    form.dataset.photos = String(photos.length); // for the e2e test
    renderPhotos();
  });

  const locateButton = h('button', { type: 'button', class: 'case-locate', id: 'case-locate' }, ct('locateMe'));
  locateButton.addEventListener('click', locate);
  const pickButton = h('button', { type: 'button', class: 'case-pick', id: 'case-pick' }, ct('pickOnMap'));
  pickButton.addEventListener('click', () => void pick());

  /** The fields as the contract takes them, or the first field that is wrong. */
  function collect(): NewPublicCase | null {
    let firstBad: HTMLElement | null = null;
    const check = (field: Field, ok: boolean, message: CaseKey, focus: HTMLElement) => {
      showError(field, ok ? null : ct(message));
      if (!ok) firstBad ??= focus;
    };
    check('category', category !== null, 'errCategory', chips);
    check('description', validDescription(description.value), 'errDescription', description);
    check('location', location !== null, 'errLocation', locateButton);
    const phoneText = phone.value.trim();
    check('phone', phoneText === '' || validPhone(phoneText), 'errPhone', phone);
    if (firstBad) {
      (firstBad as HTMLElement).focus();
      return null;
    }
    const body: NewPublicCase = { category: category!.code, description: description.value.trim() };
    if (location!.kind === 'qr') body.grid = location!.grid.code;
    else Object.assign(body, { lon: round6(location!.lon), lat: round6(location!.lat), crs: 'wgs84' });
    if (address.value.trim()) body.address = address.value.trim();
    if (phoneText) body.phone = phoneText;
    return body;
  }

  async function send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    showError('form', null);
    const body = collect();
    if (!body || !category) return;
    submit.disabled = true;
    submit.textContent = ct('submitting');
    try {
      host.submitted(await caseApi.report(body, photos), category, location!);
    } catch (error) {
      showServerError(error);
    } finally {
      submit.disabled = false;
      submit.textContent = ct('submit');
    }
  }

  /** A refused field is shown beside it (photo[1] → the photos); anything else under the button. */
  function showServerError(error: unknown): void {
    const e = error instanceof CaseApiError ? error : null;
    if (e?.kind === 'rate') return showError('form', ct('errRate'));
    if (e?.kind === 'network') return showError('form', ct('errNetwork'));
    const param = e?.param?.replace(/\[.*$/, '') ?? '';
    const field: Field =
      param === 'category' || param === 'description' || param === 'phone' || param === 'photo'
        ? param
        : ['lon', 'lat', 'crs', 'grid'].includes(param)
          ? 'location'
          : 'form';
    showError(field, ct('errServer', { detail: e?.message ?? String(error) }));
  }

  const label = (text: string, forId?: string) => h('label', { class: 'case-label', for: forId }, text);
  const form = h(
    'form',
    { class: 'case-form', id: 'case-form', novalidate: true },
    h('fieldset', {}, h('legend', { class: 'case-label' }, ct('category')), chips, errorLine('category')),
    h('div', {}, label(ct('description'), 'case-description'), description, errorLine('description')),
    h(
      'fieldset',
      {},
      h('legend', { class: 'case-label' }, ct('location')),
      h('div', { class: 'case-buttons' }, locateButton, pickButton),
      where,
      errorLine('location'),
      label(ct('address'), 'case-address'),
      address,
    ),
    h(
      'fieldset',
      {},
      h('legend', { class: 'case-label' }, ct('photos', { n: MAX_PHOTOS })),
      photoList,
      addPhoto,
      fileInput,
      h('p', { class: 'hint' }, ct('photoHint', { mb: MAX_PHOTO_BYTES / 1024 / 1024 })),
      errorLine('photo'),
    ),
    h(
      'div',
      {},
      label(ct('phone'), 'case-phone'),
      phone,
      h('p', { class: 'hint', id: 'case-phone-note' }, ct('phoneNote')),
      errorLine('phone'),
    ),
    submit,
    errorLine('form'),
  );
  form.addEventListener('submit', (event) => void send(event));
  // A message goes as soon as the field it is about is edited.
  description.addEventListener('input', () => showError('description', null));
  phone.addEventListener('input', () => showError('phone', null));

  renderWhere();
  renderPhotos();
  caseApi
    .categories()
    .then((list) => {
      categories = list;
      renderChips();
      form.dataset.ready = '1';
    })
    .catch((error: unknown) => {
      chips.replaceChildren();
      showServerError(error);
    });
  return {
    element: form,
    offerLocation(place) {
      if (location || !place) return;
      location = place;
      renderWhere();
    },
  };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
