/** The map, its debug handle, and what a click on a grid, a station or nothing shows. */
import { api, type ClientConfig } from '../api.ts';
import { byId } from '../dom.ts';
import { MapAdapter } from '../map/adapter.ts';
import { MapTooltip } from '../panels/map-tooltip.ts';
import type { App } from './app-context.ts';

declare global {
  interface Window {
    /** Debug handle for the console and the end-to-end test. */
    __wangge?: { map: unknown; adapter: MapAdapter; project: (lon: number, lat: number) => { x: number; y: number } };
  }
}

export async function createMap(config: ClientConfig): Promise<MapAdapter> {
  const map = await MapAdapter.create({ container: byId('map'), basemapStyleUrl: config.basemapStyleUrl });
  window.__wangge = { map: map.debugMap, adapter: map, project: (lon, lat) => map.project(lon, lat) };
  return map;
}

/** Hover names, clicks open a grid's or a station's details (or pick grids while editing). */
export function wireMapClicks(app: App, map: MapAdapter): MapTooltip {
  const { details } = app;
  details.onClose = () => map.selectGrid(null);
  const tooltip = new MapTooltip(byId('map-tooltip'));
  map.on({
    hover: (target, point) => tooltip.show(target, point),
    gridClick: (code, additive) => {
      if (app.editor?.active) return void app.editor.pickGrid(code, additive);
      const request = ++app.gridRequest;
      map.selectGrid(code);
      details.showLoading();
      api.grid(code).then(
        (grid) => request === app.gridRequest && details.showGrid(grid),
        (error: Error) => request === app.gridRequest && details.showError(error.message),
      );
    },
    stationClick: (station) => {
      app.gridRequest++;
      map.selectGrid(null);
      details.showStation(station);
    },
    emptyClick: () => {
      app.editor?.clearPicked();
      map.selectGrid(null);
      details.close();
    },
  });
  return tooltip;
}
