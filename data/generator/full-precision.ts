/**
 * Coordinates as a city's survey hands them over: every position taken to CGCS2000
 * Gauss–Krüger (3° zone 39, EPSG:4527), rounded to the millimetre there and brought back to
 * lon/lat, so they carry full double precision instead of the generator's 7 decimals
 * (DESIGN.md trap 8: snapping at the write edge must cope with such outlines).
 *
 * A position is a pure function of the original one, so vertices that two polygons share
 * stay exactly shared and the tiling stays exact; positions move by under a millimetre.
 */
import type { Geometry, Position } from 'geojson';
import { fromWgs84, reprojectGeometry, toWgs84 } from '../../server/geo/crs.ts';
import type { RoadCollection } from './roads.ts';
import type { Dataset } from './types.ts';

const ZONE = 'EPSG:4527';

/** lon/lat → Gauss–Krüger metres to the millimetre → lon/lat. */
export function surveyPosition(): (p: Position) => Position {
  const [forward, back] = [fromWgs84(ZONE), toWgs84(ZONE)];
  const cache = new Map<string, Position>();
  return (p) => {
    const key = `${p[0]},${p[1]}`;
    let out = cache.get(key);
    if (!out) {
      const [x, y] = forward(p);
      out = back([Math.round(x! * 1000) / 1000, Math.round(y! * 1000) / 1000]);
      cache.set(key, out);
    }
    return [...out];
  };
}

/** The dataset and its roads with every geometry in full-precision survey coordinates. */
export function toFullPrecision(dataset: Dataset, roads: RoadCollection): { dataset: Dataset; roads: RoadCollection } {
  const at = surveyPosition();
  const geom = <G extends Geometry>(g: G): G => reprojectGeometry(g, at);
  return {
    dataset: {
      ...dataset,
      regions: dataset.regions.map((r) => ({ ...r, geom: geom(r.geom) })),
      compounds: dataset.compounds.map((r) => ({ ...r, geom: geom(r.geom) })),
      grids: dataset.grids.map((r) => ({ ...r, geom: geom(r.geom) })),
      buildings: dataset.buildings.map((r) => ({ ...r, geom: geom(r.geom) })),
      stations: dataset.stations.map((r) => ({ ...r, geom: geom(r.geom) })),
      landcover: dataset.landcover.map((r) => ({ ...r, geom: geom(r.geom) })),
    },
    roads: { ...roads, features: roads.features.map((f) => ({ ...f, geometry: geom(f.geometry) })) },
  };
}
