/** Column → field mapping and value checks (server/interop/mapping.ts), pure. */
import { describe, expect, it } from 'vitest';
import { coerceValue, mapRow, missingRequired, resolveMapping } from '../../server/interop/mapping.ts';
import { LAYERS, layerFields } from '../../server/interop/layers.ts';
import { HttpError } from '../../server/http/errors.ts';

const field = (layer: keyof typeof LAYERS, name: string) => LAYERS[layer].fields.find((f) => f.name === name)!;

describe('resolveMapping', () => {
  it('maps a Chinese ledger by its headers', () => {
    expect(resolveMapping('party_orgs', ['编码', '名称', '类型', '上级组织', '所属社区', '书记', '党员数'])).toEqual({
      code: '编码',
      name: '名称',
      kind: '类型',
      parent_code: '上级组织',
      community_code: '所属社区',
      secretary_name: '书记',
      member_count: '党员数',
    });
  });

  it('maps Shapefile short names back to their fields, exact names before synonyms', () => {
    expect(
      resolveMapping('stations', ['CODE', 'Name', 'kind', 'region', 'address', 'hours', 'services', 'phone']),
    ).toEqual({
      code: 'CODE',
      name: 'Name',
      kind: 'kind',
      region_code: 'region',
      address: 'address',
      opening_hours: 'hours',
      services: 'services',
      phone: 'phone',
    });
    // "社区" is a synonym of region_code, but community_code is the column's own name here.
    expect(resolveMapping('stations', ['code', 'name', 'kind', 'community_code', '社区'])).toMatchObject({
      region_code: 'community_code',
    });
  });

  it('uses a remembered mapping where its columns exist, and an explicit one as given', () => {
    expect(
      resolveMapping('grids', ['GRID_NO', 'TITLE', '户数'], undefined, {
        code: 'GRID_NO',
        name: 'TITLE',
        kind: 'gone',
      }),
    ).toEqual({
      code: 'GRID_NO',
      name: 'TITLE',
      households: '户数',
    });
    expect(resolveMapping('grids', ['a', 'b', '名称'], { code: 'a', name: 'b' })).toEqual({ code: 'a', name: 'b' });
  });

  it('refuses an explicit mapping naming a missing column or an unknown field (400 mapping)', () => {
    const attempt = (mapping: Record<string, string>) => {
      try {
        resolveMapping('grids', ['a'], mapping);
      } catch (error) {
        return error as HttpError;
      }
      throw new Error('accepted');
    };
    expect(attempt({ code: 'zz' })).toMatchObject({ status: 400, param: 'mapping' });
    expect(attempt({ colour: 'a' }).message).toContain('no field "colour"');
  });

  it('lists the required fields left unmapped', () => {
    expect(missingRequired('grid_workers', { name: 'x', grid_code: 'y' })).toEqual(['role', 'phone']);
  });
});

describe('coerceValue and mapRow', () => {
  it('reads enum words, yes/no, lists and numbers', () => {
    expect(coerceValue(field('party_orgs', 'kind'), '党支部')).toEqual({ value: 'branch' });
    expect(coerceValue(field('stations', 'kind'), '红色驿站')).toEqual({ value: 'red_post' });
    expect(coerceValue(field('grid_workers', 'role'), '专职网格员')).toEqual({ value: 'full_time' });
    expect(coerceValue(field('grid_workers', 'phone_public'), '是')).toEqual({ value: true });
    expect(coerceValue(field('stations', 'services'), '代办；咨询、 法律援助')).toEqual({
      value: ['代办', '咨询', '法律援助'],
    });
    expect(coerceValue(field('grids', 'households'), '1,234')).toEqual({ value: 1234 });
    expect(coerceValue(field('grids', 'households'), 2.5)).toMatchObject({
      reason: expect.stringContaining('whole number'),
    });
    expect(coerceValue(field('grids', 'kind'), '工业')).toMatchObject({
      reason: expect.stringContaining('must be one of residential'),
    });
  });

  it('gives one reason per bad field, naming field and column; codes read from numbers keep their digits', () => {
    const mapping = { grid_code: 'G', name: 'N', role: 'R', phone: 'P' };
    const ok = mapRow('grid_workers', { G: 131002001001001, N: '张三', R: '兼职', P: '13800138000' }, mapping);
    expect(ok).toEqual({
      values: { grid_code: '131002001001001', name: '张三', role: 'part_time', phone: '13800138000' },
      problems: [],
    });
    const bad = mapRow('grid_workers', { G: '1310', N: '', R: '队长', P: '12345' }, mapping);
    expect(bad.problems.map((p) => p.field)).toEqual(['grid_code', 'name', 'role', 'phone']);
    expect(bad.problems[0]!.reason).toBe('grid_code (column G): must be a 15-digit grid code, got "1310"');
    expect(bad.problems[1]!.reason).toContain('required, but empty');
  });

  it('the fields the API lists carry no synonyms', () => {
    expect(layerFields('grids').map((f) => f.name)).toEqual(['code', 'name', 'kind', 'community_code', 'households']);
    expect(Object.keys(layerFields('grids')[0]!)).not.toContain('synonyms');
  });
});
