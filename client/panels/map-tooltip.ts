import type { GridProperties } from '../../common/contracts/grids.ts';
import type { StationProperties } from '../../common/contracts/stations.ts';
import { formatNumber, t } from '../i18n/index.ts';
import type { HoverTarget } from '../map/adapter.ts';

/** The name under the pointer: grid name and households (signed in), or station name and kind. */
export class MapTooltip {
  readonly grids = new Map<string, GridProperties>();
  readonly stations = new Map<string, StationProperties>();

  constructor(private readonly element: HTMLElement) {}

  show(target: HoverTarget, point: { x: number; y: number }): void {
    const text = target ? this.text(target) : null;
    this.element.hidden = !text;
    if (!text) return;
    this.element.textContent = text;
    this.element.style.transform = `translate(${Math.round(point.x + 14)}px, ${Math.round(point.y + 14)}px)`;
  }

  private text(target: NonNullable<HoverTarget>): string | null {
    if (target.layer === 'grid') {
      const grid = this.grids.get(target.code);
      if (!grid) return null;
      // Anonymous users get no household figures: the name alone.
      return grid.households === null
        ? grid.name
        : `${grid.name} · ${t('tooltip.households', { count: formatNumber(grid.households) })}`;
    }
    const station = this.stations.get(target.code);
    return station ? `${station.name} · ${t(`station.${station.kind}`)}` : null;
  }
}
