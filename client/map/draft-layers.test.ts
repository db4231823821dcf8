import { describe, expect, it } from 'vitest';
import type { DraftGridProperties } from '../../common/contracts/drafts.ts';
import { DRAFT_SOURCES, draftLayers, historyFeatures, toDraftFeatures } from './draft-layers.ts';

const square = {
  type: 'MultiPolygon' as const,
  coordinates: [
    [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  ],
};
const grid = (
  state: DraftGridProperties['state'],
  households: number,
  kind: DraftGridProperties['kind'] = 'residential',
) => ({
  type: 'Feature' as const,
  geometry: square,
  properties: {
    code: `c-${state}`,
    name: 'n',
    community_code: '131002003001',
    kind,
    households,
    households_source: 'buildings' as const,
    state,
    base_version: null,
    etag: '"x"',
  },
});

describe('draft layers', () => {
  it('flattens draft grids to code, state and household band by the bounds it is given', () => {
    const grids = {
      type: 'FeatureCollection' as const,
      features: [grid('new', 420), grid('retired', 120), grid('changed', 900, 'commercial')],
    };
    const out = toDraftFeatures(grids, () => ({ min: 300, max: 500 }));
    expect(out.features.map((f) => f.properties)).toEqual([
      { code: 'c-new', state: 'new', band: 'ok' },
      { code: 'c-retired', state: 'retired', band: 'low' },
      { code: 'c-changed', state: 'changed', band: 'commercial' },
    ]);
    // A district with its own bounds: 420 is now over, 120 within.
    const own = toDraftFeatures(grids, () => ({ min: 100, max: 400 }));
    expect(own.features.map((f) => f.properties!.band)).toEqual(['high', 'ok', 'commercial']);
    // Bounds not known yet: no band (drawn grey), never a guessed 300–500.
    expect(toDraftFeatures(grids, () => null).features.map((f) => f.properties!.band)).toEqual([null, null, null]);
    expect(toDraftFeatures(null, () => null).features).toEqual([]);
  });

  it('draws only from the draft sources, changed grids dashed', () => {
    const layers = draftLayers();
    const sources = new Set(Object.values(DRAFT_SOURCES));
    for (const layer of layers) expect(sources.has((layer as { source: string }).source as never)).toBe(true);
    const dashed = layers.filter(
      (l) =>
        l.type === 'line' &&
        (l as { source: string }).source === DRAFT_SOURCES.grids &&
        (l.paint as Record<string, unknown>)['line-dasharray'],
    );
    expect(dashed.map((l) => (l as { filter?: unknown }).filter)).toEqual([['==', ['get', 'state'], 'changed']]);
    // Retired grids lie under the grids that replace them.
    const ids = layers.map((l) => l.id);
    expect(ids.indexOf('draft-retired-hatch')).toBeLessThan(ids.indexOf('draft-fill'));
  });

  it('outlines a history entry: before and after of each grid, skipping what did not exist', () => {
    const out = historyFeatures([
      { code: 'a', before: { geometry: square }, after: null },
      { code: 'b', before: null, after: { geometry: square } },
    ]);
    expect(out.features.map((f) => f.properties)).toEqual([
      { code: 'a', phase: 'before' },
      { code: 'b', phase: 'after' },
    ]);
    const before = draftLayers().find((l) => l.id === 'edit-history-before')!;
    expect((before.paint as Record<string, unknown>)['line-dasharray']).toBeTruthy();
  });
});
