/**
 * A hotline ticket's address ("银河南路康城小区3号楼2单元") placed by the names in the search
 * index: the buildings and station addresses, compounds and roads whose name the address
 * contains. The most specific kind that matches wins (an address before a compound before a
 * road), then the longest name; the ticket is located only when that leaves exactly one place.
 * Two compounds of one name, or a road named in several regions, are not a confident hit: the
 * ticket then goes to the street's queue to be placed by a person.
 *
 * Names are looked up by their first two characters, so an address costs a few map lookups
 * per character rather than a scan of the index (285,000 names at city scale).
 */
import type { SearchEntry, SearchIndex } from '../public/search.ts';

const KIND_ORDER = ['address', 'compound', 'road'] as const;
type PlaceKind = (typeof KIND_ORDER)[number];
/** Shorter names ("1号", "路") match almost any address. */
const MIN_NAME_LENGTH = 3;

export interface AddressMatch {
  type: PlaceKind;
  name: string;
  lon: number;
  lat: number;
}

export interface AddressLocator {
  locate(address: string): AddressMatch | null;
}

export function addressLocator(index: SearchIndex): AddressLocator {
  const byPrefix = new Map<string, number[]>();
  index.entries.forEach((entry, i) => {
    const name = index.names[i]!;
    if (!(KIND_ORDER as readonly string[]).includes(entry.type) || name.length < MIN_NAME_LENGTH) return;
    const key = name.slice(0, 2);
    const list = byPrefix.get(key);
    if (list) list.push(i);
    else byPrefix.set(key, [i]);
  });

  return {
    locate(address: string): AddressMatch | null {
      const needle = address.trim().toLowerCase();
      const hits = new Set<number>();
      for (let at = 0; at + MIN_NAME_LENGTH <= needle.length; at++) {
        for (const i of byPrefix.get(needle.slice(at, at + 2)) ?? [])
          if (needle.startsWith(index.names[i]!, at)) hits.add(i);
      }
      for (const kind of KIND_ORDER) {
        const ofKind = [...hits].filter((i) => index.entries[i]!.type === kind);
        if (!ofKind.length) continue;
        const longest = Math.max(...ofKind.map((i) => index.names[i]!.length));
        const best = ofKind.filter((i) => index.names[i]!.length === longest);
        // The same name twice at one place (a station's address listed for two stations) is one place.
        const places = new Set(best.map((i) => placeKey(index.entries[i]!)));
        if (places.size !== 1) return null;
        const e = index.entries[best[0]!]!;
        return { type: kind, name: e.name, lon: e.lon, lat: e.lat };
      }
      return null;
    },
  };
}

const placeKey = (e: SearchEntry) => `${e.lon.toFixed(6)},${e.lat.toFixed(6)}`;
