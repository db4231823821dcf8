/**
 * The sidebar drawer (phones) and the cards over the map: the check's and the coverage's
 * cards cover the map's left side, the details card its right side; on phones they sit below
 * the map instead.
 */
import { byId } from '../dom.ts';
import type { MapApp } from './app-context.ts';

export const isNarrow = (): boolean => window.matchMedia('(max-width: 700px)').matches;

/** On a phone the sidebar is a drawer over the map: close it to show what was chosen. */
export function closeSidebarOnPhone(): void {
  if (isNarrow()) document.body.classList.remove('sidebar-open');
}

export function wireSidebarToggle(): void {
  const toggle = byId<HTMLButtonElement>('sidebar-toggle');
  toggle.addEventListener('click', () => {
    const open = document.body.classList.toggle('sidebar-open');
    toggle.setAttribute('aria-expanded', String(open));
  });
}

/** The width the open details card covers on the map's right side. */
export const detailsInset = (): number =>
  document.body.classList.contains('details-open') && !isNarrow() ? byId('details').offsetWidth + 20 : 0;

/** One of the left cards (check or coverage) opened or closed. */
export function leftCardChanged(app: MapApp, card: HTMLElement, bodyClass: string, open: boolean): void {
  const { map } = app;
  document.body.classList.toggle(bodyClass, open);
  map.resize(); // on a phone the sheet takes room from the map
  const bbox = app.currentRegion?.properties.bbox;
  const wholeRegionInView = bbox && map.showsBbox(bbox);
  map.setLeftInset(open && !isNarrow() ? card.offsetWidth + 10 : 0);
  // Looking at the whole region: move it out from under the card.
  if (open && bbox && wholeRegionInView) map.fitBbox(bbox, true, detailsInset());
}
