import { describe, expect, it } from 'vitest';
import { parseBBox, parseGridCode, parseRegionCode } from '../../server/http/params.ts';
import { HttpError } from '../../server/http/errors.ts';
import { maskPhone } from '../../common/domain.ts';

function rejection(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseBBox', () => {
  it('parses four numbers in order', () => {
    expect(parseBBox('116.6,39.4,116.8,39.6')).toEqual([116.6, 39.4, 116.8, 39.6]);
    expect(parseBBox(undefined)).toBeUndefined();
  });
  it.each([
    ['116.6,39.4,116.8', /4 numbers/],
    ['116.6,39.4,abc,39.6', /numbers only/],
    ['116.6,,116.8,39.6', /numbers only/],
    ['-200,39.4,116.8,39.6', /outside WGS84/],
    ['116.6,39.4,116.8,95', /outside WGS84/],
    ['116.8,39.4,116.6,39.6', /min before max/],
  ])('rejects %s with a 400 naming bbox', (value, message) => {
    const error = rejection(() => parseBBox(value));
    expect(error.status).toBe(400);
    expect(error.param).toBe('bbox');
    expect(error.message).toMatch(message);
  });
  it('rejects a repeated parameter', () => {
    expect(rejection(() => parseBBox(['1,2,3,4', '1,2,3,4'])).param).toBe('bbox');
  });
});

describe('codes', () => {
  it('accepts 12-digit region and 15-digit grid codes only', () => {
    expect(parseRegionCode('131002001001')).toBe('131002001001');
    expect(rejection(() => parseRegionCode('13100200100')).param).toBe('region');
    expect(rejection(() => parseRegionCode('13100200100x', 'parent')).param).toBe('parent');
    expect(parseGridCode('131002001001001')).toBe('131002001001001');
    expect(rejection(() => parseGridCode('131002001001')).status).toBe(400);
  });
});

describe('domain helpers', () => {
  it('masks phone numbers', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('123')).toBe('****');
  });
});
