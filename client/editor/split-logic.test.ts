import { describe, expect, it } from 'vitest';
import { needsPartyOrg, splitWarnings } from './split-logic.ts';

const part = (households: number, party_orgs: string[] = ['DX1']) => ({
  households,
  households_source: 'buildings' as const,
  buildings: 1,
  areaM2: 1000,
  party_orgs,
});

describe('splitWarnings', () => {
  it('is empty when every part has households and an organisation', () => {
    expect(splitWarnings({ parts: [part(120), part(300)] })).toEqual([]);
  });

  it('names the parts with no households and those with no organisation, numbered from 1', () => {
    const warnings = splitWarnings({ parts: [part(0, []), part(250, [])] });
    expect(warnings).toEqual([
      { part: 1, kind: 'zero_households' },
      { part: 1, kind: 'no_party_org' },
      { part: 2, kind: 'no_party_org' },
    ]);
    expect(needsPartyOrg(warnings)).toBe(true);
  });

  it('a part with 0 households alone needs no organisation picked', () => {
    const warnings = splitWarnings({ parts: [part(0), part(480)] });
    expect(warnings).toEqual([{ part: 1, kind: 'zero_households' }]);
    expect(needsPartyOrg(warnings)).toBe(false);
  });
});
