import { describe, expect, it } from 'vitest';
import {
  checkPhotos,
  formatCaseTime,
  keepCase,
  MAX_KEPT_CASES,
  parseKeptCases,
  trackedCase,
  trackingUrl,
  validDescription,
  validPhone,
} from './case-format.ts';
import { actionLabel } from './case-i18n.ts';

const MB = 1024 * 1024;
const photo = (name: string, size: number, type = 'image/jpeg') => ({ name, size, type });

describe('checkPhotos', () => {
  it('takes up to 3 JPEG, PNG or WebP photos of up to 5 MB', () => {
    expect(checkPhotos([])).toBeNull();
    expect(
      checkPhotos([photo('a.jpg', 5 * MB), photo('b.png', 1, 'image/png'), photo('c.webp', 10, 'image/webp')]),
    ).toBeNull();
  });
  it('names the first problem', () => {
    expect(checkPhotos([photo('a', 1), photo('b', 1), photo('c', 1), photo('d', 1)])).toEqual({
      reason: 'tooMany',
      max: 3,
    });
    expect(checkPhotos([photo('a.jpg', 1), photo('scan.heic', 1, 'image/heic')])).toEqual({
      reason: 'type',
      name: 'scan.heic',
    });
    expect(checkPhotos([photo('notes.txt', 1, 'text/plain')])).toEqual({ reason: 'type', name: 'notes.txt' });
    // What photoTypeOf says of bytes that are no image.
    expect(checkPhotos([{ name: 'notes.jpg', size: 1, type: undefined }])).toEqual({
      reason: 'type',
      name: 'notes.jpg',
    });
    expect(checkPhotos([photo('big.jpg', 5 * MB + 1)])).toEqual({ reason: 'size', name: 'big.jpg', maxMb: 5 });
  });
});

describe('the form checks match the contract', () => {
  it.each([
    ['13800138000', true],
    ['+86 138-0013-8000', true],
    ['1234', false],
    ['138001380001380013800', false],
    ['call me', false],
  ])('phone %s → %s', (phone, ok) => expect(validPhone(phone)).toBe(ok));
  it.each([
    ['路灯坏了', true],
    ['  灯泡 ', true],
    [' 灯 ', false],
    ['x'.repeat(2000), true],
    ['x'.repeat(2001), false],
  ])('description %j → %s', (text, ok) => expect(validDescription(text)).toBe(ok));
});

describe('tracking links', () => {
  it('round-trips a ticket and token through the link', () => {
    const url = trackingUrl('https://wangge.example/', '20261207-000123', 'Ab_cd-EF0123456789');
    expect(url).toBe('https://wangge.example/find?case=20261207-000123&token=Ab_cd-EF0123456789');
    expect(trackedCase(new URL(url).search)).toEqual({ ticket: '20261207-000123', token: 'Ab_cd-EF0123456789' });
  });
  it('refuses a link without a token or with a malformed one', () => {
    expect(trackedCase('?case=20261207-000123')).toBeNull();
    expect(trackedCase('?case=20261207-000123&token=short')).toBeNull();
    expect(trackedCase('?case=<script>&token=Ab_cd-EF0123456789')).toBeNull();
    expect(trackedCase('?grid=131002003001001')).toBeNull();
  });
});

describe('cases kept on this device', () => {
  const kept = (ticket: string) => ({ ticket, token: `t${ticket}`, category: '环境卫生', reportedAt: '2026-12-07' });
  it('puts the newest first, replaces a repeated ticket and keeps at most 50', () => {
    expect(keepCase([kept('1'), kept('2')], kept('2')).map((c) => c.ticket)).toEqual(['2', '1']);
    const many = Array.from({ length: MAX_KEPT_CASES }, (_, i) => kept(String(i)));
    const after = keepCase(many, kept('new'));
    expect(after).toHaveLength(MAX_KEPT_CASES);
    expect(after[0]!.ticket).toBe('new');
    expect(after.at(-1)!.ticket).toBe(String(MAX_KEPT_CASES - 2));
  });
  it('reads back only well-formed entries, whatever is stored', () => {
    expect(parseKeptCases(null)).toEqual([]);
    expect(parseKeptCases('not json')).toEqual([]);
    expect(parseKeptCases('{"ticket":"1"}')).toEqual([]);
    expect(parseKeptCases(JSON.stringify([kept('1'), { ticket: 2 }, null]))).toEqual([kept('1')]);
  });
});

describe('formatCaseTime', () => {
  it('shows Beijing time whatever the zone of the phone', () => {
    expect(formatCaseTime('2026-12-07T16:30:00Z', 'zh')).toBe('2026年12月8日 00:30');
    expect(formatCaseTime('2026-12-07T16:30:00Z', 'en')).toBe('8 Dec 2026 00:30');
    expect(formatCaseTime('garbage', 'zh')).toBe('garbage');
  });
});

describe('actionLabel', () => {
  it('names the timeline actions, and shows an unknown one as it is', () => {
    expect(actionLabel('feedback')).toBe('反馈');
    expect(actionLabel('close')).toBe('核查结案');
    expect(actionLabel('teleport')).toBe('teleport');
  });
});
