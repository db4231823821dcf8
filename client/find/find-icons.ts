/**
 * Simple 24×24 line icons for the 六能 of a 红色驿站, drawn in currentColor. They are
 * decorative (aria-hidden): every icon sits beside its text label.
 */
import type { SixService } from './find-format.ts';

const PATHS: Record<SixService, string> = {
  // A flame.
  取暖: 'M12 3c1 3 5 5.5 5 10a5 5 0 0 1-10 0c0-2.2 1-3.6 2-4.6.2 1.6 1 2.6 2 2.6 0-3 0-5.5 1-8z',
  // A snowflake: three crossing strokes with small chevrons.
  纳凉: 'M12 3v18M4.2 7.5l15.6 9M4.2 16.5l15.6-9M9.5 4.5 12 7l2.5-2.5M9.5 19.5 12 17l2.5 2.5',
  // A drop.
  饮水: 'M12 3.5c3 4 6 7.4 6 10.5a6 6 0 0 1-12 0c0-3.1 3-6.5 6-10.5z',
  // A bench with a back.
  休息: 'M4 11h16M5 11V6h14v5M4 15h16M6 15v4M18 15v4',
  // A first-aid box with a cross.
  应急药品: 'M4 8h16v11H4zM9 8V5h6v3M12 10.5v6M9 13.5h6',
  // A phone with a lightning bolt.
  手机充电: 'M8 3h8a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM12.8 7.5 10.5 12h3l-2.3 4.5',
};

export function serviceIcon(service: SixService): string {
  return `<svg class="svc-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="${PATHS[service]}"/></svg>`;
}

/** A crosshair for the locate button. */
export const LOCATE_ICON =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="6.5"/><circle cx="12" cy="12" r="2" fill="currentColor"/><path d="M12 2v3.5M12 18.5V22M2 12h3.5M18.5 12H22"/></svg>';
