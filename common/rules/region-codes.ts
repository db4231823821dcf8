/**
 * Region and grid codes (GB/T 2260 and the statistical division codes, DOMAIN.md): a district
 * is 6 digits padded to 12 with zeros, a street 9 digits padded with 000, a community 12
 * digits, a grid its community's 12 digits and a 3-digit sequence. Every surface derives one
 * code from another here, so no slice(0, 9) drifts from what a level means.
 * Pure: no database, no DOM. A code of the wrong length is not guessed at: a helper that
 * needs more digits than it is given throws (a 9-digit code is not a community).
 *
 * @example streetOf('131002003002004') // '131002003000'
 */
import { GRID_CODE, type RegionLevel } from '../domain.ts';

/** Digits of a code that name the region at each level (the rest are zeros, or a grid's sequence). */
export const LEVEL_DIGITS: Readonly<Record<RegionLevel, number>> = Object.freeze({
  district: 6,
  street: 9,
  community: 12,
});

/** Digits of a community code and of a grid code. */
export const COMMUNITY_CODE_LENGTH = 12;
export const GRID_CODE_LENGTH = 15;

const DIGITS = /^[0-9]+$/;

function leading(code: string, digits: number, what: string): string {
  if (code.length < digits || !DIGITS.test(code))
    throw new RangeError(`${what}: ${JSON.stringify(code)} has no ${digits} leading digits`);
  return code.slice(0, digits);
}

/**
 * The code prefix that selects a region and everything in it (district 6, street 9,
 * community 12 digits): `code LIKE prefix || '%'`.
 *
 * @example regionPrefix('131002003000', 'street') // '131002003'
 */
export function regionPrefix(code: string, level: RegionLevel): string {
  return leading(code, LEVEL_DIGITS[level], `${level} prefix`);
}

/** The district of any region or grid code, as a 12-digit code. 131002003002004 → 131002000000. */
export function districtOf(code: string): string {
  return `${leading(code, LEVEL_DIGITS.district, 'district of')}000000`;
}

/** The street of a street, community or grid code, as a 12-digit code. 131002003002 → 131002003000. */
export function streetOf(code: string): string {
  return `${leading(code, LEVEL_DIGITS.street, 'street of')}000`;
}

/** The community of a grid code: its first 12 digits. 131002003002004 → 131002003002. */
export function communityOf(gridCode: string): string {
  return leading(gridCode, COMMUNITY_CODE_LENGTH, 'community of');
}

/** A grid code's sequence within its community (1–999): its last 3 digits. 131002003002004 → 4. */
export function gridSequence(gridCode: string): number {
  if (!GRID_CODE.test(gridCode))
    throw new RangeError(`grid sequence: ${JSON.stringify(gridCode)} is not a 15-digit grid code`);
  return Number(gridCode.slice(COMMUNITY_CODE_LENGTH));
}

/** The grid code of a community's n-th grid. ('131002003002', 4) → 131002003002004. */
export function gridCodeOf(community: string, sequence: number): string {
  return `${communityOf(community)}${String(sequence).padStart(GRID_CODE_LENGTH - COMMUNITY_CODE_LENGTH, '0')}`;
}

/**
 * True when a community (or grid) lies in the street: it shares the street's 9 digits and is
 * not the street itself (a street code is not one of its own communities).
 *
 * @example inStreet('131002003002', '131002003000') // true
 */
export function inStreet(code: string, street: string): boolean {
  return code !== street && code.startsWith(regionPrefix(street, 'street'));
}
