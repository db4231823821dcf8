/**
 * Which basemap the map draws under Wangge's layers, from the configuration: a style URL
 * (BASEMAP_STYLE_URL, any MapLibre style), else 天地图 (TIANDITU_KEY), else none, and the map
 * draws its own offline base from /tiles/base. The CSP allows the chosen basemap's origins only.
 */
import type { Config } from '../config.ts';
import { TIANDITU_ORIGINS } from './tianditu-style.ts';

export type BasemapConfig = Pick<Config, 'basemapStyleUrl'> & Partial<Pick<Config, 'tiandituKey'>>;

export type BasemapSource = { kind: 'url'; url: string } | { kind: 'tianditu'; key: string } | { kind: 'own' };

export function basemapSource(config: BasemapConfig): BasemapSource {
  if (config.basemapStyleUrl) return { kind: 'url', url: config.basemapStyleUrl };
  if (config.tiandituKey) return { kind: 'tianditu', key: config.tiandituKey };
  return { kind: 'own' };
}

/** The URLs whose origins the browser may fetch map data from for this basemap. */
export function basemapOriginUrls(config: BasemapConfig): string[] {
  const source = basemapSource(config);
  if (source.kind === 'url') return [source.url];
  if (source.kind === 'tianditu') return TIANDITU_ORIGINS;
  return [];
}
