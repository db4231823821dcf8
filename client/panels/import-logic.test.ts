import { describe, expect, it } from 'vitest';
import type { ImportReport, LayerField } from '../../common/contracts/interop.ts';
import { gaussKruger, parseCrsName } from '../../server/geo/crs.ts';
import { zh } from '../i18n/zh.ts';
import { en } from '../i18n/en.ts';
import {
  chooseColumn,
  commitGate,
  crsOptions,
  errorText,
  fileSize,
  groupInvalid,
  mappingFromReport,
  missingRequired,
  reportCounts,
  sameMapping,
} from './import-logic.ts';
import { crsApplies, exportFormats, exportHref } from './export-logic.ts';

const field = (name: string, required = false): LayerField => ({ name, required, type: 'text', zh: name, en: name });
const FIELDS = [field('code', true), field('name', true), field('kind'), field('address')];

const report = (more: Partial<ImportReport> = {}): ImportReport => ({
  layer: 'stations',
  format: 'geojson',
  crs: { name: 'EPSG:4326', source: 'default' },
  encoding: null,
  columns: ['编号', '名称', '类型'],
  mapping: { code: '编号', name: '名称', kind: '类型' },
  features: 3,
  create: 2,
  update: 1,
  unchanged: 0,
  invalid: [],
  topology: null,
  warnings: [],
  committed: false,
  ...more,
});

describe('coordinate systems offered', () => {
  const options = crsOptions();
  it('lists auto, WGS84, CGCS2000, 21 GK zones with prefix, 21 by central meridian, GCJ-02 and BD-09', () => {
    expect(options).toHaveLength(1 + 2 + 21 + 21 + 2);
    expect(options[0]!.value).toBe('');
    expect(options.filter((o) => o.group === 'gkZone').map((o) => o.value)).toEqual(
      Array.from({ length: 21 }, (_, i) => `EPSG:${4513 + i}`),
    );
    expect(options.filter((o) => o.group === 'gkCm').map((o) => o.label.params!.cm)).toEqual(
      Array.from({ length: 21 }, (_, i) => 75 + 3 * i),
    );
  });
  it("each one is a name the server accepts, and each GK label names the server's zone and meridian", () => {
    for (const option of options.filter((o) => o.value)) {
      expect(() => parseCrsName(option.value), option.value).not.toThrow();
      const gk = option.value.startsWith('EPSG:45') ? gaussKruger(Number(option.value.slice(5))) : undefined;
      if (option.group === 'gkZone') expect(gk).toMatchObject({ zone: option.label.params!.zone, prefixed: true });
      if (option.group === 'gkCm')
        expect(gk).toMatchObject({ centralMeridian: option.label.params!.cm, prefixed: false });
    }
    // Zone 39 (CM 117°E, Langfang) with prefix is EPSG:4527; by meridian EPSG:4548.
    expect(options.find((o) => o.label.params?.zone === 39)!.value).toBe('EPSG:4527');
    expect(options.find((o) => o.label.params?.cm === 117)!.value).toBe('EPSG:4548');
  });
  it('every label key exists in both languages', () => {
    for (const o of options) {
      expect(zh, o.label.key).toHaveProperty([o.label.key]);
      expect(en, o.label.key).toHaveProperty([o.label.key]);
    }
  });
});

describe('the mapping table', () => {
  it('is prefilled from the report, dropping unknown fields, missing columns and a column used twice', () => {
    const state = mappingFromReport(FIELDS, ['编号', '名称', '地址'], {
      code: '编号',
      name: '名称',
      kind: '类型',
      address: '名称',
      colour: '地址',
    });
    expect(state.mapping).toEqual({ code: '编号', name: '名称' });
  });
  it('moves a column from one field to another: one column feeds one field', () => {
    let state = mappingFromReport(FIELDS, ['编号', '名称', '地址'], { code: '编号', name: '名称' });
    state = chooseColumn(state, 'address', '名称');
    expect(state.mapping).toEqual({ code: '编号', address: '名称' });
    expect(missingRequired(state).map((f) => f.name)).toEqual(['name']);
    state = chooseColumn(state, 'name', '地址');
    expect(state.mapping).toEqual({ code: '编号', address: '名称', name: '地址' });
    expect(missingRequired(state)).toEqual([]);
  });
  it('clears a field with "" and ignores unknown fields and columns', () => {
    const state = mappingFromReport(FIELDS, ['编号', '名称'], { code: '编号', name: '名称' });
    expect(chooseColumn(state, 'code', '').mapping).toEqual({ name: '名称' });
    expect(chooseColumn(state, 'colour', '编号')).toBe(state);
    expect(chooseColumn(state, 'kind', '不存在')).toBe(state);
  });
  it('compares mappings by content', () => {
    expect(sameMapping({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameMapping({ a: '1' }, { a: '1', b: '2' })).toBe(false);
  });
});

describe('the commit gate', () => {
  const used = report().mapping;
  it('opens after a clean dry run of the same mapping', () => {
    expect(commitGate(report(), used, false)).toEqual({ allowed: true });
  });
  it('stays shut with no report, a committed one, invalid features, a changed mapping or a new file', () => {
    expect(commitGate(null, used, false).allowed).toBe(false);
    expect(commitGate(report({ committed: true }), used, false).allowed).toBe(false);
    expect(commitGate(report({ invalid: [{ index: 0, reason: 'geometry: not a point' }] }), used, false)).toEqual({
      allowed: false,
      reason: 'interop.commitBlocked',
    });
    expect(commitGate(report(), { ...used, kind: '名称' }, false)).toEqual({
      allowed: false,
      reason: 'interop.mapping.changed',
    });
    expect(commitGate(report(), used, true)).toEqual({ allowed: false, reason: 'interop.stale' });
  });
  it('names its reasons in both languages', () => {
    for (const key of ['interop.commitBlocked', 'interop.mapping.changed', 'interop.stale', 'interop.report.nothing']) {
      expect(zh).toHaveProperty([key]);
      expect(en).toHaveProperty([key]);
    }
  });
  it('has nothing to do when everything is unchanged or the file is empty', () => {
    expect(commitGate(report({ create: 0, update: 0, unchanged: 3 }), used, false)).toEqual({
      allowed: false,
      reason: undefined,
    });
    expect(commitGate(report({ features: 0, create: 0, update: 0 }), used, false)).toEqual({
      allowed: false,
      reason: 'interop.report.nothing',
    });
  });
});

describe('report formatting', () => {
  it('counts in display order, invalid marked bad only when there are some', () => {
    expect(reportCounts(report()).map((c) => [c.key.split('.').pop(), c.value, c.tone])).toEqual([
      ['features', 3, 'plain'],
      ['create', 2, 'good'],
      ['update', 1, 'good'],
      ['unchanged', 0, 'plain'],
      ['invalid', 0, 'plain'],
    ]);
    expect(reportCounts(report({ invalid: [{ index: 2, reason: 'x' }] })).at(-1)).toEqual({
      key: 'interop.report.invalid',
      value: 1,
      tone: 'bad',
    });
  });
  it('groups invalid features by reason, most frequent first, numbered from 1, capped', () => {
    const invalid = [
      { index: 0, reason: 'kind: not a station kind', code: 'S1' },
      { index: 4, reason: 'geometry: outside every community' },
      { index: 7, reason: 'kind: not a station kind', code: 'S8' },
    ];
    expect(groupInvalid(invalid)).toEqual({
      groups: [
        {
          reason: 'kind: not a station kind',
          rows: [
            { index: 1, code: 'S1' },
            { index: 8, code: 'S8' },
          ],
        },
        { reason: 'geometry: outside every community', rows: [{ index: 5 }] },
      ],
      hidden: 0,
    });
    const many = Array.from({ length: 120 }, (_, i) => ({ index: i, reason: 'name: required' }));
    const capped = groupInvalid(many, 50);
    expect(capped.groups[0]!.rows).toHaveLength(50);
    expect(capped.hidden).toBe(70);
  });
  it('turns API failures into plain messages that exist in both languages', () => {
    expect(errorText(413, 'over 50 MB')).toEqual({ key: 'interop.error.413', params: { message: 'over 50 MB' } });
    expect(errorText(0, '')).toEqual({ key: 'interop.error.network', params: {} });
    expect(errorText(500, 'Internal error')).toEqual({
      key: 'interop.error.other',
      params: { status: 500, message: 'Internal error' },
    });
    for (const status of [0, 400, 401, 403, 409, 413, 422, 500]) {
      const { key } = errorText(status, 'm');
      expect(zh).toHaveProperty([key]);
      expect(en).toHaveProperty([key]);
    }
  });
  it('sizes files in B, KB and MB', () => {
    expect([fileSize(512), fileSize(2048), fileSize(5 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '5.0 MB']);
  });
});

describe('the export form', () => {
  it('offers tables only for layers without geometry, and ledgers only where they exist', () => {
    expect(exportFormats('grid_workers')).toEqual(['xlsx', 'csv']);
    expect(exportFormats('grids')).toEqual(['geojson', 'shapefile', 'kml', 'csv', 'xlsx']);
    expect(exportFormats('buildings')).toEqual(['geojson', 'shapefile', 'kml', 'csv']);
  });
  it('builds the URL with only the parameters that apply', () => {
    expect(
      exportHref({ layer: 'grids', region: '131002001000', format: 'shapefile', crs: 'EPSG:4527', lang: 'zh' }),
    ).toBe('/api/export?layer=grids&region=131002001000&format=shapefile&crs=EPSG%3A4527');
    expect(exportHref({ layer: 'stations', format: 'kml', crs: 'EPSG:4527' })).toBe(
      '/api/export?layer=stations&format=kml',
    );
    expect(
      exportHref({ layer: 'party_orgs', region: '131002000000', format: 'geojson', crs: 'GCJ-02', lang: 'en' }),
    ).toBe('/api/export?layer=party_orgs&region=131002000000&format=xlsx&lang=en');
    expect(crsApplies('grids', 'csv')).toBe(true);
  });
});

describe('commitGate for grids imported as they are (issue 15)', () => {
  const base: ImportReport = {
    layer: 'grids',
    format: 'geojson',
    crs: null,
    encoding: null,
    columns: ['name'],
    mapping: { name: 'name' },
    features: 2,
    create: 2,
    update: 0,
    unchanged: 0,
    invalid: [],
    topology: { problems: 3, byKind: { gap: 3 }, sample: [] },
    warnings: [],
    committed: false,
  };
  it('asks for a dry run made as it is, then for a reason', () => {
    const strictReport = { ...base };
    const asIsReport = { ...base, asIs: { reason: null, changesets: [] } };
    expect(commitGate(strictReport, { name: 'name' }, false, { accept: true, reason: 'x' })).toEqual({
      allowed: false,
      reason: 'interop.asIs.recheck',
    });
    expect(commitGate(asIsReport, { name: 'name' }, false, { accept: true, reason: '  ' })).toEqual({
      allowed: false,
      reason: 'interop.asIs.needReason',
    });
    expect(commitGate(asIsReport, { name: 'name' }, false, { accept: true, reason: '现状底图' })).toEqual({
      allowed: true,
    });
    expect(commitGate(strictReport, { name: 'name' }, false, { accept: false, reason: '' })).toEqual({ allowed: true });
  });
});
