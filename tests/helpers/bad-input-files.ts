/** Import files for the bad-input suite that tests/helpers/interop-files.ts does not make. */
import mapshaper from 'mapshaper';
import { zipSync } from 'fflate';

/** A zipped point Shapefile in WGS84 degrees with no .prj (real .shp/.shx/.dbf from mapshaper). */
export async function degreeShapefileWithoutPrj(lon: number, lat: number): Promise<Uint8Array> {
  const fc = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: { code: 'NOPRJ001', name: '无投影站', kind: 'red_post' },
      },
    ],
  };
  const out = await mapshaper.applyCommands('-i in.json -o format=shapefile encoding=utf8 places.shp', {
    'in.json': fc,
  });
  const part = (ext: string) => new Uint8Array(out[`places.${ext}`] as Buffer);
  return zipSync({ 'places.shp': part('shp'), 'places.shx': part('shx'), 'places.dbf': part('dbf') });
}
