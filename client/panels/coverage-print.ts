/**
 * 打印: a print-only sheet with the title, region and date, the map as an image (the WebGL
 * canvas does not print by itself) and the summary tables; @media print in coverage-print.css hides
 * everything else. The sheet stays until the next print replaces it.
 */
import { h } from '../dom.ts';
import { lang, t } from '../i18n/index.ts';

export interface PrintContent {
  region: { code: string; name: string };
  /** Lines under the title, e.g. the reach's minutes, speed and method. */
  notes: string[];
  mapImage: string;
  /** Elements copied into the sheet (tables, figures). */
  sections: HTMLElement[];
}

export function buildPrintSheet(content: PrintContent): HTMLElement {
  document.getElementById('print-sheet')?.remove();
  const date = new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long' }).format(new Date());
  const sheet = h(
    'div',
    { id: 'print-sheet', class: 'print-sheet' },
    h('h1', {}, t('coverage.printHeading', { region: content.region.name })),
    h('p', { class: 'print-meta' }, t('coverage.printMeta', { code: content.region.code, date })),
    ...content.notes.map((note) => h('p', { class: 'print-meta' }, note)),
    h('img', { class: 'print-map', src: content.mapImage, alt: content.region.name }),
    ...content.sections.map((section) => {
      const copy = section.cloneNode(true) as HTMLElement;
      // Copies must not clash with the live panel's ids.
      for (const element of [copy, ...copy.querySelectorAll<HTMLElement>('[id]')]) element.removeAttribute('id');
      for (const details of copy.querySelectorAll('details')) details.open = true;
      return copy;
    }),
  );
  document.body.append(sheet);
  return sheet;
}
