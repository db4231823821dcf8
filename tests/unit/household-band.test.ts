/** The household band rule (common/rules/household-band.ts): the one function every surface calls. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOUSEHOLD_BOUNDS,
  bandOf,
  boundsFor,
  householdBand,
  outOfBand,
  settingOf,
  type HouseholdBoundsSetting,
} from '../../common/rules/household-band.ts';
import { districtOf } from '../../common/rules/region-codes.ts';
import { HouseholdBoundsPut } from '../../common/contracts/settings.ts';

describe('household band', () => {
  it('bands by inclusive bounds: 300–500 by default', () => {
    expect(DEFAULT_HOUSEHOLD_BOUNDS).toEqual({ min: 300, max: 500 });
    expect(householdBand('residential', 299)).toBe('low');
    expect(householdBand('residential', 300)).toBe('ok');
    expect(householdBand('residential', 500)).toBe('ok');
    expect(householdBand('residential', 501)).toBe('high');
    expect(householdBand('mixed', 250)).toBe('low');
  });

  it('commercial grids are their own band whatever their households', () => {
    for (const n of [0, 400, 10_000]) expect(householdBand('commercial', n, { min: 1, max: 2 })).toBe('commercial');
    expect(outOfBand('commercial', 10_000, { min: 1, max: 2 })).toBe(false);
  });

  it('follows the bounds it is given', () => {
    const bounds = { min: 100, max: 2_000 };
    expect([99, 100, 2_000, 2_001].map((n) => bandOf(n, bounds))).toEqual(['low', 'ok', 'ok', 'high']);
    expect(householdBand('residential', 250, bounds)).toBe('ok');
    expect(outOfBand('residential', 250, bounds)).toBe(false);
    expect(outOfBand('residential', 250, DEFAULT_HOUSEHOLD_BOUNDS)).toBe(true);
  });

  it('looks bounds up by the district of any region or grid code, else the default', () => {
    const setting: HouseholdBoundsSetting = { default: { min: 250, max: 550 }, '131002000000': { min: 100, max: 400 } };
    expect(districtOf('131002003002004')).toBe('131002000000');
    expect(districtOf('131002003000')).toBe('131002000000');
    for (const code of ['131002000000', '131002003000', '131002003002', '131002003002004'])
      expect(boundsFor(setting, code)).toEqual({ min: 100, max: 400 });
    expect(boundsFor(setting, '131003001001001')).toEqual({ min: 250, max: 550 });
    expect(boundsFor(setting, undefined)).toEqual({ min: 250, max: 550 });
    // A stored row without a default (hand-edited): the product default, never undefined.
    expect(boundsFor({}, '131002003002004')).toEqual({ min: 300, max: 500 });
  });

  it('the API list converts back to the setting the client looks bounds up in', () => {
    const setting = settingOf({
      default: { min: 300, max: 500 },
      districts: [
        { district: '131002000000', name: '安次区', min: 100, max: 400, custom: true },
        { district: '131003000000', name: '广阳区', min: 300, max: 500, custom: false },
      ],
    });
    expect(boundsFor(setting, '131002001001001')).toEqual({ min: 100, max: 400 });
    expect(boundsFor(setting, '131003001001001')).toEqual({ min: 300, max: 500 });
  });
});

describe('PUT body (zod)', () => {
  const issue = (body: unknown) => {
    const r = HouseholdBoundsPut.safeParse(body);
    return r.success ? null : { path: r.error.issues[0]!.path.join('.'), message: r.error.issues[0]!.message };
  };
  it('accepts whole numbers with 0 ≤ min < max for a district code', () => {
    expect(issue({ district: '131002000000', min: 0, max: 1 })).toBeNull();
    expect(issue({ district: '131002000000', min: 300, max: 500 })).toBeNull();
  });
  it('names the field at fault', () => {
    expect(issue({ district: '131002000000', min: 500, max: 500 })).toEqual({
      path: 'min',
      message: 'must be less than max',
    });
    expect(issue({ district: '131002000000', min: -1, max: 500 })).toEqual({
      path: 'min',
      message: 'must not be negative',
    });
    expect(issue({ district: '131002000000', min: 1, max: 2.5 })).toEqual({
      path: 'max',
      message: 'must be a whole number of households',
    });
    expect(issue({ district: '131002003000', min: 1, max: 2 })?.path).toBe('district');
    expect(issue({ district: '131002000000', min: 1, max: 2, extra: 1 })?.path).toBe('');
  });
});
