/**
 * Pure helpers of the residents' case pages: the photo check before upload, the private
 * tracking link, the form's own checks, the cases remembered on this device and due times.
 * No DOM, so they are unit-tested (case-format.test.ts).
 */
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_TYPES } from '../../common/rules/case-photos.ts';
import type { Lang } from './find-i18n.ts';

export type PhotoProblem =
  | { reason: 'tooMany'; max: number }
  | { reason: 'type'; name: string }
  | { reason: 'size'; name: string; maxMb: number };

/**
 * The first problem with a set of chosen photos, or null (the rule in common/rules/case-photos.ts).
 * `type` is what the first bytes say (photoTypeOf), as the server judges it, not the file's name.
 */
export function checkPhotos(files: readonly { name: string; size: number; type?: string }[]): PhotoProblem | null {
  if (files.length > MAX_PHOTOS) return { reason: 'tooMany', max: MAX_PHOTOS };
  for (const file of files) {
    if (!(PHOTO_TYPES as readonly (string | undefined)[]).includes(file.type))
      return { reason: 'type', name: file.name };
    if (file.size > MAX_PHOTO_BYTES) return { reason: 'size', name: file.name, maxMb: MAX_PHOTO_BYTES / 1024 / 1024 };
  }
  return null;
}

/** The same phone rule as the contract (common/contracts/cases.ts): 5–20 digits, +, - or spaces. */
export const validPhone = (phone: string): boolean => /^[0-9+\- ]{5,20}$/.test(phone.trim());

/** The same description rule as the contract: 2–2000 characters after trimming. */
export const validDescription = (text: string): boolean => {
  const length = text.trim().length;
  return length >= 2 && length <= 2000;
};

/** The private tracking link: `https://host/find?case=TICKET&token=TOKEN`. */
export function trackingUrl(origin: string, ticket: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/find?case=${encodeURIComponent(ticket)}&token=${encodeURIComponent(token)}`;
}

/** The ticket and token a tracking link opens, or null when either is absent or malformed. */
export function trackedCase(search: string): { ticket: string; token: string } | null {
  const params = new URLSearchParams(search);
  const ticket = params.get('case')?.trim() ?? '';
  const token = params.get('token')?.trim() ?? '';
  if (!/^[0-9A-Za-z-]{1,40}$/.test(ticket) || !/^[0-9A-Za-z_-]{10,100}$/.test(token)) return null;
  return { ticket, token };
}

/** A case remembered on this device, for 我的反映. */
export interface KeptCase {
  ticket: string;
  token: string;
  category: string;
  reportedAt: string;
}
export const KEPT_CASES_KEY = 'wangge.cases';
export const MAX_KEPT_CASES = 50;

/** The kept list with `entry` first (a ticket already there is replaced), at most MAX_KEPT_CASES. */
export function keepCase(list: readonly KeptCase[], entry: KeptCase): KeptCase[] {
  return [entry, ...list.filter((c) => c.ticket !== entry.ticket)].slice(0, MAX_KEPT_CASES);
}

/** The kept list read back from storage; anything malformed is dropped, never thrown. */
export function parseKeptCases(stored: string | null): KeptCase[] {
  let value: unknown;
  try {
    value = JSON.parse(stored ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(
    (c): c is KeptCase =>
      typeof c === 'object' &&
      c !== null &&
      ['ticket', 'token', 'category', 'reportedAt'].every((k) => typeof (c as Record<string, unknown>)[k] === 'string'),
  );
}

/**
 * A time as residents here read it, in Beijing time whatever the phone's zone:
 * "12月8日 14:05" / "8 Dec 14:05".
 */
export function formatCaseTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const month = Number(parts.month);
  const time = `${parts.hour}:${parts.minute}`;
  if (lang === 'zh') return `${parts.year}年${month}月${Number(parts.day)}日 ${time}`;
  const name = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1];
  return `${Number(parts.day)} ${name} ${parts.year} ${time}`;
}
