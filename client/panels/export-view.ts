/**
 * 导出: a layer of the region selected in the app, in a format and coordinate system, as a
 * plain download link (the browser saves the attachment; nothing is held in the page).
 */
import type { InteropLayer } from '../../common/contracts/interop.ts';
import type { ExportFormat } from '../../common/rules/interop-layers.ts';
import type { RegionSummary } from '../../common/contracts/regions.ts';
import { INTEROP_LAYERS } from '../../common/rules/interop-layers.ts';
import { h, named } from '../dom.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import { crsApplies, exportFormats, exportHref, langApplies } from './export-logic.ts';
import { crsOptions } from './import-logic.ts';

const k = (key: string) => key as MessageKey;

export class ExportView {
  readonly element = h('div', { class: 'export-view', id: 'export-view' });
  private layer: InteropLayer = 'grids';
  private format: ExportFormat = 'xlsx';
  private crs = 'EPSG:4326';
  private headers: 'zh' | 'en' = lang();
  private region: RegionSummary | null = null;
  private wholeArea = false;

  setRegion(region: RegionSummary | null): void {
    this.region = region;
    this.render();
  }

  private select(
    name: string,
    value: string,
    options: [string, string][],
    onChange: (value: string) => void,
  ): HTMLSelectElement {
    const select = h('select', { name }, ...options.map(([v, label]) => h('option', { value: v }, label)));
    select.value = value;
    select.addEventListener('change', () => {
      onChange(select.value);
      this.render();
    });
    return select;
  }

  render(): void {
    const formats = exportFormats(this.layer);
    if (!formats.includes(this.format)) this.format = formats[0]!;
    const region = this.wholeArea ? undefined : this.region?.code;
    const href = exportHref({ layer: this.layer, region, format: this.format, crs: this.crs, lang: this.headers });
    // Every CRS but "automatic": an export says what it writes.
    const crsChoices = crsOptions()
      .filter((o) => o.value !== '')
      .map((o): [string, string] => [o.value, t(k(o.label.key), o.label.params)]);
    const whole = h('input', { type: 'checkbox', name: 'whole-area', checked: this.wholeArea });
    whole.addEventListener('change', () => {
      this.wholeArea = whole.checked;
      this.render();
    });
    this.element.replaceChildren(
      h(
        'div',
        { class: 'import-form' },
        h(
          'label',
          {},
          t('interop.layer'),
          this.select(
            'export-layer',
            this.layer,
            INTEROP_LAYERS.map((l): [string, string] => [l, t(k(`interop.layer.${l}`))]),
            (v) => (this.layer = v as InteropLayer),
          ),
        ),
        h(
          'label',
          {},
          t('interop.export.region'),
          h(
            'span',
            { class: 'region-name', id: 'export-region' },
            region && this.region ? named(this.region.name, this.region.code, 'small') : t('interop.export.all'),
          ),
        ),
        h('label', { class: 'inline' }, whole, t('interop.export.all')),
        h(
          'div',
          { class: 'import-row' },
          h(
            'label',
            {},
            t('interop.export.format'),
            this.select(
              'export-format',
              this.format,
              formats.map((f): [string, string] => [f, t(k(`interop.export.format.${f}`))]),
              (v) => (this.format = v as ExportFormat),
            ),
          ),
          crsApplies(this.layer, this.format)
            ? h(
                'label',
                {},
                t('interop.crs'),
                this.select('export-crs', this.crs, crsChoices, (v) => (this.crs = v)),
              )
            : null,
          langApplies(this.format)
            ? h(
                'label',
                {},
                t('interop.export.lang'),
                this.select(
                  'export-lang',
                  this.headers,
                  [
                    ['zh', t('interop.export.langZh')],
                    ['en', t('interop.export.langEn')],
                  ],
                  (v) => (this.headers = v as 'zh' | 'en'),
                ),
              )
            : null,
        ),
        this.format === 'kml' ? h('p', { class: 'muted small' }, t('interop.export.kmlWgs84')) : null,
        h('p', { class: 'muted small' }, t('interop.export.hint')),
      ),
      h(
        'div',
        { class: 'dialog-actions' },
        h('a', { class: 'button-link', id: 'export-download', href, download: '' }, t('interop.export.download')),
      ),
    );
  }
}
