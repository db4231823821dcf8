/** 图层: the grids' fill mode, the station kinds shown and the household bands' bounds. */
import { byId } from '../dom.ts';
import { householdBounds } from '../household-bounds.ts';
import { LegendPanel } from '../panels/legend.ts';
import type { MapApp } from './app-context.ts';

export function wireLegend(app: MapApp): void {
  const { map, status } = app;
  const legend = new LegendPanel(byId('layers'), {
    onFillMode: (mode) => {
      map.setFillMode(mode);
      status.setMode(mode);
    },
    onStationKinds: (kinds) => map.setVisibleStationKinds(kinds),
  });
  app.legend = legend;
  legend.setHouseholdsVisible(!!app.sessionUser);
  householdBounds.onChange(() => legend.setBounds(householdBounds.of(app.districtCode)));
}
