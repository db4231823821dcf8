/**
 * Pure display helpers of the station finder: distances, walking minutes, open-now labels,
 * dialable phones and share links. No DOM, so they are unit-tested (find-format.test.ts).
 */
import type { Lang } from './find-i18n.ts';

/**
 * A walking distance as residents read it: metres to the nearest 10 below 1 km, kilometres
 * with one decimal below 10 km, whole kilometres beyond.
 *
 * @example formatDistance(347, 'zh') // '350 米'
 */
export function formatDistance(metres: number, lang: Lang): string {
  const m = Math.max(0, metres);
  if (m < 1000) {
    const rounded = m < 100 ? Math.round(m) : Math.round(m / 10) * 10;
    // 995 m rounds to 1,000: say 1.0 km rather than "1000 米".
    if (rounded < 1000) return lang === 'zh' ? `${rounded} 米` : `${rounded} m`;
  }
  const km = m / 1000;
  const text = km < 10 ? km.toFixed(1) : String(Math.round(km));
  return lang === 'zh' ? `${text} 公里` : `${text} km`;
}

/** "步行约 N 分钟": at least one minute, however close. */
export function formatWalk(minutes: number, lang: Lang): string {
  const n = Math.max(1, Math.ceil(minutes));
  return lang === 'zh' ? `步行约 ${n} 分钟` : `About ${n} min on foot`;
}

export type OpenState = 'open' | 'closed' | 'unknown';

/** The server's openNow (null: hours it could not read) as a state with a label. */
export function openState(openNow: boolean | null): OpenState {
  return openNow === true ? 'open' : openNow === false ? 'closed' : 'unknown';
}

const OPEN_LABELS: Record<Lang, Record<OpenState, string>> = {
  zh: { open: '营业中', closed: '已关门', unknown: '时间未知' },
  en: { open: 'Open now', closed: 'Closed', unknown: 'Hours unknown' },
};
export function openLabel(openNow: boolean | null, lang: Lang): string {
  return OPEN_LABELS[lang][openState(openNow)];
}

/**
 * The `tel:` target of a phone that may be dialled: a full published number. A masked one
 * (138****8000) or anything that is not a phone number gives null and is shown as text.
 */
export function dialable(phone: string | null | undefined): string | null {
  if (!phone || phone.includes('*')) return null;
  const compact = phone.replace(/[\s()-]/g, '');
  return /^\+?\d{5,15}$/.test(compact) ? compact : null;
}

/** Station codes as the generator and imports write them: letters and digits. */
const STATION_CODE = /^[0-9A-Za-z_-]{1,40}$/;

/** The shareable link of a station: `https://host/find?station=CODE`. */
export function shareUrl(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}/find?station=${encodeURIComponent(code)}`;
}

/** The station code a shared link opens (`?station=`), or null when absent or malformed. */
export function sharedStation(search: string): string | null {
  const code = new URLSearchParams(search).get('station')?.trim() ?? '';
  return STATION_CODE.test(code) ? code : null;
}

/** The grid a printed board's QR code opens (`?grid=`, 15 digits), or null when absent or malformed. */
export function sharedGrid(search: string): string | null {
  const code = new URLSearchParams(search).get('grid')?.trim() ?? '';
  return /^[0-9]{15}$/.test(code) ? code : null;
}

/** The 六能 of a 红色驿站, in the order stations list them; each has its own icon. */
export const SIX_SERVICES = ['取暖', '纳凉', '饮水', '休息', '应急药品', '手机充电'] as const;
export type SixService = (typeof SIX_SERVICES)[number];

/** A station's services split into the six with icons (in canonical order) and the rest as text. */
export function splitServices(services: readonly string[]): { six: SixService[]; other: string[] } {
  const six = SIX_SERVICES.filter((s) => services.includes(s));
  const other = services.filter((s) => !(SIX_SERVICES as readonly string[]).includes(s));
  return { six, other };
}

const EARTH_RADIUS_M = 6_371_008.8;
/**
 * Great-circle metres between two WGS84 points, for the line to a station the server did not
 * measure (a shared station far from you): display only, within 0.5 % of the geodesic.
 * Ranking stations is the server's job, geodesically (trap 3).
 */
export function greatCircleM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Walking minutes at the server's 1.2 m/s, rounded up. */
export function walkMinutes(metres: number): number {
  return Math.max(1, Math.ceil(metres / 1.2 / 60));
}
