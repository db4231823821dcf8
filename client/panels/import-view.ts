/**
 * 导入: choose a layer and a file, declare the coordinate system and encoding when the file
 * does not, map the file's columns to the layer's fields, 预检 (a dry run that writes
 * nothing), then 导入 (all or nothing) — disabled until a clean dry run of this very file
 * and mapping. State lives here; the rules are in import-logic.ts.
 */
import type { ImportReport, InteropLayer, LayerField } from '../../common/contracts/interop.ts';
import { INTEROP_LAYERS } from '../../common/rules/interop-layers.ts';
import type { RegionSummary } from '../../common/contracts/regions.ts';
import { ApiRequestError } from '../api.ts';
import { append, h, named } from '../dom.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import { importFields, uploadImport, type UploadHandle } from './import-api.ts';
import {
  chooseColumn,
  commitGate,
  crsOptions,
  ENCODINGS,
  errorText,
  fileSize,
  mappingFromReport,
  missingRequired,
  needsRegion,
  type MappingState,
} from './import-logic.ts';
import { renderImportReport } from './import-report.ts';

const k = (key: string) => key as MessageKey;
const CRS_GROUPS = [
  ['geo', 'interop.crs.groupGeo'],
  ['gkZone', 'interop.crs.groupGkZone'],
  ['gkCm', 'interop.crs.groupGkCm'],
  ['web', 'interop.crs.groupWeb'],
] as const;

export class ImportView {
  readonly element = h('div', { class: 'import-view', id: 'import-view' });
  private layer: InteropLayer = 'grids';
  private file: File | null = null;
  private crs = '';
  private encoding = '';
  private fields: LayerField[] = [];
  private table: MappingState | null = null;
  private report: ImportReport | null = null;
  /** The file, layer, CRS or encoding changed since the report. */
  private stale = false;
  private upload: UploadHandle | null = null;
  private progress: number | null = null;
  private error = '';
  private region: RegionSummary | null = null;
  /** The mapping table stays open once the user opened it. */
  private mappingOpen = false;
  /** The layer's fields arrive before a report is read against them. */
  private fieldsLoaded: Promise<void>;
  private canImport = false;
  /** Admins may import grids as they are (with a reason). */
  private admin = false;
  private acceptProblems = false;
  private reason = '';
  private commitButton: HTMLButtonElement | null = null;
  private gateLine: HTMLElement | null = null;

  constructor(private readonly onCommitted: (layer: InteropLayer) => void) {
    // The fields are asked for once a user who may import signs in (setCanImport), never before:
    // for anyone else the API answers 401/403, an error in the console on every page load.
    this.fieldsLoaded = Promise.resolve();
  }

  /** Admins and editors may import: load the layer's fields the first time one signs in. */
  setCanImport(canImport: boolean): void {
    const first = canImport && !this.canImport;
    this.canImport = canImport;
    if (first) this.fieldsLoaded = this.loadFields();
  }

  setAdmin(admin: boolean): void {
    this.admin = admin;
    if (!admin) this.acceptProblems = false;
    this.render();
  }

  private get asIs(): { accept: boolean; reason: string } {
    return { accept: this.admin && this.layer === 'grids' && this.acceptProblems, reason: this.reason };
  }

  /** 按现状导入 and its reason: grids, admins only. Ticking it asks for a new dry run (it lists other problems). */
  private asIsBox(): HTMLElement | null {
    if (!this.admin || this.layer !== 'grids') return null;
    const box = h('input', {
      type: 'checkbox',
      name: 'acceptProblems',
      id: 'import-accept-problems',
      checked: this.acceptProblems,
    });
    box.addEventListener('change', () => {
      this.acceptProblems = box.checked;
      this.changed();
    });
    const reason = h('textarea', {
      name: 'reason',
      id: 'import-reason',
      rows: 2,
      maxlength: 500,
      placeholder: t('interop.asIs.reasonPlaceholder'),
    });
    reason.value = this.reason;
    // Typing the reason changes only the gate: a full render would take the focus away.
    reason.addEventListener('input', () => {
      this.reason = reason.value;
      this.renderGate();
    });
    return h(
      'fieldset',
      { class: 'import-as-is' },
      h('label', { class: 'check' }, box, ` ${t('interop.asIs.accept')}`),
      h('p', { class: 'hint small' }, t('interop.asIs.hint')),
      this.acceptProblems ? h('label', {}, t('interop.asIs.reason'), reason) : null,
    );
  }

  private renderGate(): void {
    const gate = commitGate(this.report, this.table?.mapping ?? {}, this.stale, this.asIs);
    if (this.commitButton) this.commitButton.disabled = this.upload !== null || !gate.allowed;
    if (this.gateLine) {
      this.gateLine.textContent = gate.reason ? t(gate.reason) : '';
      this.gateLine.className = gate.reason ? 'warning small' : '';
    }
  }

  setRegion(region: RegionSummary | null): void {
    this.region = region;
    if (needsRegion(this.layer)) this.changed();
    else this.render();
  }

  private async loadFields(): Promise<void> {
    const layer = this.layer;
    try {
      const response = await importFields(layer);
      if (layer !== this.layer) return;
      this.fields = response.fields;
    } catch (error) {
      this.showError(error);
    }
    this.render();
  }

  /** An input of the dry run changed: the report no longer describes what 导入 would do. */
  private changed(): void {
    if (this.report) this.stale = true;
    this.render();
  }

  private selectLayer(layer: InteropLayer): void {
    this.layer = layer;
    this.table = null;
    this.report = null;
    this.stale = false;
    this.fields = [];
    this.error = '';
    this.render();
    if (this.canImport) this.fieldsLoaded = this.loadFields();
  }

  private chooseFile(file: File | undefined): void {
    if (!file) return;
    this.file = file;
    // A new file has its own columns: start the mapping from what the server guesses and remembers.
    this.table = null;
    this.report = null;
    this.stale = false;
    this.error = '';
    this.render();
  }

  private async run(commit: boolean): Promise<void> {
    if (!this.file) {
      this.error = t('interop.needFile');
      return this.render();
    }
    this.error = '';
    this.progress = 0;
    const sent = { file: this.file, layer: this.layer };
    /** The user picked another file or layer meanwhile: this answer describes neither. */
    const superseded = () => sent.file !== this.file || sent.layer !== this.layer;
    const mapping = commit ? this.report?.mapping : this.table?.mapping;
    this.upload = uploadImport(
      {
        file: this.file,
        layer: this.layer,
        crs: this.crs || undefined,
        encoding: this.encoding || undefined,
        mapping,
        region: needsRegion(this.layer) ? this.region?.code : undefined,
        commit,
        acceptProblems: this.asIs.accept,
        reason: this.asIs.accept ? this.reason.trim() : undefined,
      },
      (fraction) => {
        this.progress = fraction;
        this.renderStatus();
      },
    );
    this.render();
    try {
      const report = await this.upload.done;
      await this.fieldsLoaded;
      if (report.committed) this.onCommitted(sent.layer);
      if (!superseded()) this.showReport(report);
    } catch (error) {
      if (superseded()) return;
      const report = error instanceof ApiRequestError ? (error.detail.report as ImportReport | undefined) : undefined;
      if (report) this.showReport(report);
      this.showError(error);
    } finally {
      this.upload = null;
      this.progress = null;
      this.render();
    }
  }

  private showReport(report: ImportReport): void {
    this.report = report;
    this.stale = false;
    this.table = mappingFromReport(this.fields, report.columns, report.mapping);
  }

  private showError(error: unknown): void {
    const status = error instanceof ApiRequestError ? error.status : 0;
    const text = errorText(status, (error as Error).message);
    this.error = t(k(text.key), text.params);
  }

  private select<T extends string>(
    name: string,
    value: T,
    options: [T, string][],
    onChange: (value: T) => void,
    groups?: HTMLElement[],
  ): HTMLSelectElement {
    const select = h('select', { name }, ...(groups ?? options.map(([v, label]) => h('option', { value: v }, label))));
    select.value = value;
    select.addEventListener('change', () => onChange(select.value as T));
    return select;
  }

  private crsSelect(): HTMLSelectElement {
    const options = crsOptions();
    const option = (o: (typeof options)[number]) => h('option', { value: o.value }, t(k(o.label.key), o.label.params));
    const groups = [
      option(options[0]!),
      ...CRS_GROUPS.map(([group, key]) => {
        const element = h('optgroup', {}, ...options.filter((o) => o.group === group).map(option));
        element.label = t(k(key));
        return element;
      }),
    ];
    return this.select(
      'crs',
      this.crs,
      [],
      (value) => {
        this.crs = value;
        this.changed();
      },
      groups,
    );
  }

  private dropZone(): HTMLElement {
    const input = h('input', {
      type: 'file',
      name: 'file',
      id: 'import-file',
      accept: '.geojson,.json,.zip,.kml,.kmz,.csv,.txt,.xlsx',
    });
    input.addEventListener('change', () => this.chooseFile(input.files?.[0]));
    const zone = h(
      'label',
      { class: 'import-drop', for: 'import-file' },
      input,
      h(
        'span',
        { class: 'drop-title' },
        this.file ? t('interop.chosen', { name: this.file.name, size: fileSize(this.file.size) }) : t('interop.drop'),
      ),
      h('span', { class: 'muted small' }, t('interop.dropHint')),
    );
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('over');
      this.chooseFile(event.dataTransfer?.files[0]);
    });
    return zone;
  }

  private mappingTable(): HTMLElement | null {
    const table = this.table;
    if (!table || table.columns.length === 0) return null;
    const missing = missingRequired(table);
    const rows = table.fields.map((field) => {
      const select = this.select(
        `map-${field.name}`,
        table.mapping[field.name] ?? '',
        [['', t('interop.mapping.none')], ...table.columns.map((c): [string, string] => [c, c])],
        (column) => {
          this.table = chooseColumn(table, field.name, column);
          this.render();
        },
      );
      return h(
        'tr',
        { 'data-field': field.name },
        h(
          'th',
          {},
          this.fieldLabel(field),
          field.required ? h('span', { class: 'required' }, ` ${t('interop.mapping.required')}`) : null,
          h('span', { class: 'muted small field-name' }, field.name),
        ),
        h('td', {}, select),
      );
    });
    const details = h(
      'details',
      { class: 'import-mapping', open: this.mappingOpen || missing.length > 0 },
      h(
        'summary',
        {},
        t('interop.mapping'),
        h('span', { class: 'muted small' }, ` ${Object.keys(table.mapping).length}/${table.fields.length}`),
      ),
      h('p', { class: 'muted small' }, t('interop.mappingHint')),
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', {}, t('interop.mapping.field')), h('th', {}, t('interop.mapping.column')))),
        h('tbody', {}, ...rows),
      ),
      missing.length
        ? h(
            'p',
            { class: 'warning small' },
            t('interop.mapping.missing', { fields: missing.map((f) => this.fieldLabel(f)).join('、') }),
          )
        : null,
    );
    details.addEventListener('toggle', () => (this.mappingOpen = details.open));
    return details;
  }

  private fieldLabel(field: LayerField): string {
    return lang() === 'en' ? field.en : field.zh;
  }

  private readonly status = h('div', { class: 'import-status', role: 'status', 'aria-live': 'polite' });

  private renderStatus(): void {
    const busy = this.upload !== null;
    this.status.replaceChildren();
    append(this.status, [
      busy
        ? h(
            'span',
            { class: 'import-progress' },
            h('span', { class: 'spinner' }),
            this.progress === null
              ? t('interop.reading')
              : t('interop.uploading', { percent: Math.round(this.progress * 100) }),
            this.progress === null ? null : h('progress', { max: 100, value: Math.round(this.progress * 100) }),
          )
        : null,
      this.error ? h('p', { class: 'error', id: 'import-error' }, this.error) : null,
    ]);
  }

  render(): void {
    const busy = this.upload !== null;
    const gate = commitGate(this.report, this.table?.mapping ?? {}, this.stale, this.asIs);
    const check = h(
      'button',
      {
        type: 'button',
        id: 'import-check',
        class: 'secondary',
        title: t('interop.checkTitle'),
        disabled: busy || !this.file,
      },
      t('interop.check'),
    );
    check.addEventListener('click', () => void this.run(false));
    const commit = h(
      'button',
      { type: 'button', id: 'import-commit', title: t('interop.commitTitle'), disabled: busy || !gate.allowed },
      t('interop.commit'),
    );
    commit.addEventListener('click', () => void this.run(true));
    this.commitButton = commit;
    this.gateLine = gate.reason
      ? h('span', { class: 'warning small', id: 'import-gate' }, t(gate.reason))
      : h('span', { id: 'import-gate' });
    const regionLine = needsRegion(this.layer)
      ? h(
          'label',
          {},
          t('interop.region'),
          h(
            'span',
            { class: 'region-name' },
            this.region ? named(this.region.name, this.region.code, 'small') : t('interop.regionNone'),
          ),
        )
      : null;
    this.renderStatus();
    this.element.replaceChildren(
      h(
        'div',
        { class: 'import-form' },
        h(
          'label',
          {},
          t('interop.layer'),
          this.select(
            'layer',
            this.layer,
            INTEROP_LAYERS.map((l): [InteropLayer, string] => [l, t(k(`interop.layer.${l}`))]),
            (l) => this.selectLayer(l),
          ),
        ),
        regionLine,
        this.dropZone(),
        h(
          'div',
          { class: 'import-row' },
          h('label', {}, t('interop.crs'), this.crsSelect()),
          h(
            'label',
            {},
            t('interop.encoding'),
            this.select(
              'encoding',
              this.encoding,
              ENCODINGS.map((e): [string, string] => [e, e === '' ? t('interop.encoding.auto') : e.toUpperCase()]),
              (e) => {
                this.encoding = e;
                this.changed();
              },
            ),
          ),
        ),
        h('p', { class: 'hint small' }, t('interop.crsHint')),
        this.asIsBox(),
      ),
      this.status,
      // The report first: it is what the user checks; the mapping below is for correcting it.
      this.report ? renderImportReport(this.report) : h('span'),
      this.mappingTable() ?? h('span'),
      h('div', { class: 'dialog-actions import-actions' }, this.gateLine, check, commit),
    );
  }
}
