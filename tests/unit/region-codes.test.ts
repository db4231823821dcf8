/** Region-code helpers (common/rules/region-codes.ts): exact answers, and refusals of codes too short for the question. */
import { describe, expect, it } from 'vitest';
import {
  communityOf,
  districtOf,
  gridCodeOf,
  gridSequence,
  inStreet,
  LEVEL_DIGITS,
  regionPrefix,
  streetOf,
} from '../../common/rules/region-codes.ts';

const GRID = '131002003002004';
const COMMUNITY = '131002003002';
const STREET = '131002003000';
const DISTRICT = '131002000000';

describe('region codes', () => {
  it('derives the district, street and community of a grid code', () => {
    expect(districtOf(GRID)).toBe(DISTRICT);
    expect(streetOf(GRID)).toBe(STREET);
    expect(communityOf(GRID)).toBe(COMMUNITY);
  });

  it('derives the district and street of a community, and of themselves', () => {
    expect(districtOf(COMMUNITY)).toBe(DISTRICT);
    expect(streetOf(COMMUNITY)).toBe(STREET);
    expect(streetOf(STREET)).toBe(STREET);
    expect(districtOf(STREET)).toBe(DISTRICT);
    expect(districtOf(DISTRICT)).toBe(DISTRICT);
  });

  it('gives the prefix that selects a region by its level', () => {
    expect(LEVEL_DIGITS).toEqual({ district: 6, street: 9, community: 12 });
    expect(regionPrefix(DISTRICT, 'district')).toBe('131002');
    expect(regionPrefix(STREET, 'street')).toBe('131002003');
    expect(regionPrefix(COMMUNITY, 'community')).toBe(COMMUNITY);
  });

  it('splits and builds grid codes: 12 digits of the community, a 3-digit sequence', () => {
    expect(gridSequence(GRID)).toBe(4);
    expect(gridSequence('131002003002999')).toBe(999);
    expect(gridCodeOf(COMMUNITY, 4)).toBe(GRID);
    expect(gridCodeOf(COMMUNITY, 123)).toBe('131002003002123');
    expect(gridCodeOf(GRID, 7)).toBe('131002003002007');
  });

  it('tells whether a community or grid lies in a street; the street itself is not one of its communities', () => {
    expect(inStreet(COMMUNITY, STREET)).toBe(true);
    expect(inStreet(GRID, STREET)).toBe(true);
    expect(inStreet('131002004001', STREET)).toBe(false);
    expect(inStreet('131003003002', STREET)).toBe(false);
    expect(inStreet(STREET, STREET)).toBe(false);
  });

  it('refuses a code too short for the question instead of guessing', () => {
    // A 9-digit code given where a community's 12 are needed.
    expect(() => communityOf('131002003')).toThrow(RangeError);
    expect(() => communityOf('131002003')).toThrow('community of: "131002003" has no 12 leading digits');
    expect(() => regionPrefix('131002003', 'community')).toThrow(RangeError);
    expect(() => gridCodeOf('131002003', 1)).toThrow(RangeError);
    expect(() => streetOf('13100200')).toThrow(RangeError);
    expect(() => districtOf('13100')).toThrow(RangeError);
    expect(() => districtOf('')).toThrow(RangeError);
    // A community code is not a grid code: it has no sequence.
    expect(() => gridSequence(COMMUNITY)).toThrow('grid sequence: "131002003002" is not a 15-digit grid code');
  });

  it('refuses letters where digits belong', () => {
    expect(() => districtOf('13100a003002')).toThrow(RangeError);
    expect(() => streetOf('x31002003002')).toThrow(RangeError);
    expect(() => gridSequence('13100200300200x')).toThrow(RangeError);
  });
});
