/**
 * The 天地图 (Tianditu) basemap as a MapLibre style, built from TIANDITU_KEY: the vector map
 * (vec_w) with its annotation layer (cva_w, Chinese place and road names) on top, both raster
 * WMTS tiles in web mercator from the eight hosts t0–t7.tianditu.gov.cn.
 *
 * No coordinate shift: 天地图 is published in CGCS2000, which is within centimetres of WGS84
 * (what Wangge stores), unlike 高德/腾讯 (GCJ-02) or 百度 (BD-09), whose offsets of 500–1,200 m
 * here would put every grid beside its streets.
 *
 * Pure: the server serves it at /api/basemap/style.json and the CSP allows exactly these hosts.
 */
import type { StyleSpecification } from 'maplibre-gl';

/** The hosts tiles are spread over (t0 … t7): the CSP allows these and nothing else of 天地图. */
export const TIANDITU_ORIGINS = Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`);

/** 天地图 serves web-mercator tiles up to z18; MapLibre overzooms past it. */
const MAX_ZOOM = 18;

/** WMTS GetTile URLs of one layer (`vec` or `cva`) in the web-mercator matrix set `w`, one per host. */
export function tiandituTileUrls(layer: 'vec' | 'cva', key: string): string[] {
  const query = new URLSearchParams({
    SERVICE: 'WMTS',
    REQUEST: 'GetTile',
    VERSION: '1.0.0',
    LAYER: layer,
    STYLE: 'default',
    TILEMATRIXSET: 'w',
    FORMAT: 'tiles',
    tk: key,
  });
  // {z}/{y}/{x} must stay unescaped for MapLibre to fill them in.
  return TIANDITU_ORIGINS.map(
    (origin) => `${origin}/${layer}_w/wmts?${query.toString()}&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}`,
  );
}

export function tiandituStyle(key: string): StyleSpecification {
  const attribution = '© <a href="https://www.tianditu.gov.cn/" target="_blank" rel="noopener">天地图</a>';
  const raster = (layer: 'vec' | 'cva') => ({
    type: 'raster' as const,
    tiles: tiandituTileUrls(layer, key),
    tileSize: 256,
    maxzoom: MAX_ZOOM,
    attribution,
  });
  return {
    version: 8,
    name: '天地图 矢量 + 注记',
    sources: { 'tianditu-vec': raster('vec'), 'tianditu-cva': { ...raster('cva'), attribution: '' } },
    layers: [
      { id: 'bg', type: 'background', paint: { 'background-color': '#f4f1ea' } },
      { id: 'tianditu-vec', type: 'raster', source: 'tianditu-vec' },
      { id: 'tianditu-cva', type: 'raster', source: 'tianditu-cva' },
    ],
  };
}
