/**
 * A MapLibre map as both pages draw it: flat and north-up (no rotation or pitch: grids are read
 * like a paper map), zoom buttons top right, a metric scale. It imports nothing else of the map
 * app, so the find page's lazy map stays small.
 */
import {
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  type ControlPosition,
  type MapOptions,
  type StyleSpecification,
} from 'maplibre-gl';

/** CJK fonts in the order offices' machines have them (Linux, macOS, Windows), then any. */
export const CJK_FONT_FAMILY =
  "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";

export interface FlatMapOptions extends Omit<MapOptions, 'style' | 'attributionControl'> {
  /** A configured basemap, or null for `blankStyle`. */
  basemapStyleUrl: string | null;
  blankStyle: StyleSpecification;
  scalePosition: ControlPosition;
}

export function createFlatMap({ basemapStyleUrl, blankStyle, scalePosition, ...options }: FlatMapOptions): MapLibreMap {
  const map = new MapLibreMap({
    ...options,
    style: basemapStyleUrl ?? blankStyle,
    // Our own layers need no credit; a configured basemap usually does.
    attributionControl: basemapStyleUrl ? { compact: true } : false,
    // Chinese labels in the browser's own fonts: no glyph files are fetched (see base-layers.ts).
    localIdeographFontFamily: CJK_FONT_FAMILY,
    dragRotate: false,
    pitchWithRotate: false,
    maxPitch: 0,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), scalePosition);
  return map;
}
