import { describe, expect, it } from 'vitest';
import { connectedPieces } from '../../server/geo/connected-pieces.ts';
import { orgIssues } from '../../server/party-coverage/party-coverage.ts';

describe('connectedPieces', () => {
  it('finds each piece once, sorted, whatever the edge order', () => {
    const nodes = ['e', 'a', 'c', 'b', 'd', 'f'];
    const edges = [
      ['d', 'e'],
      ['a', 'b'],
      ['e', 'c'],
      ['b', 'a'],
    ] as const;
    const expected = [['a', 'b'], ['c', 'd', 'e'], ['f']];
    expect(connectedPieces(nodes, edges)).toEqual(expected);
    expect(connectedPieces([...nodes].reverse(), [...edges].reverse())).toEqual(expected);
  });

  it('has no pieces for no nodes, one for one node, and ignores edges to nodes outside the set', () => {
    expect(connectedPieces([], [['a', 'b']])).toEqual([]);
    expect(connectedPieces(['a'], [])).toEqual([['a']]);
    // a–x–b would join a and b, but x is not one of the organisation's grids.
    expect(
      connectedPieces(
        ['a', 'b'],
        [
          ['a', 'x'],
          ['x', 'b'],
        ],
      ),
    ).toEqual([['a'], ['b']]);
  });

  it('joins a long chain given backwards into one piece', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => `g${String(i).padStart(4, '0')}`);
    const edges = nodes
      .slice(1)
      .map((n, i) => [n, nodes[i]!] as const)
      .reverse();
    const pieces = connectedPieces(nodes, edges);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toEqual(nodes);
  });
});

describe('orgIssues', () => {
  const row = (org: string, grid: string, gridCommunity = 'C1', orgCommunity = 'C1') => ({
    org_code: org,
    name: org,
    kind: 'group' as const,
    org_community: orgCommunity,
    grid_code: grid,
    grid_community: gridCommunity,
  });

  it('reports an organisation of two separate grids as not contiguous, and one across communities as such', () => {
    const rows = [
      row('G1', 'a'),
      row('G1', 'b'),
      row('G2', 'a'),
      row('G2', 'c'),
      row('G3', 'd'),
      row('G3', 'e', 'C2'),
      row('G4', 'f', 'C2'),
    ];
    const issues = orgIssues(rows, [
      { a: 'a', b: 'b' },
      { a: 'd', b: 'e' },
    ]);
    expect(issues.map((i) => [i.code, i.issue, i.pieces, i.communities])).toEqual([
      ['G2', 'not_contiguous', 2, ['C1']],
      ['G3', 'several_communities', 1, ['C1', 'C2']],
      // Its one grid lies outside its own community.
      ['G4', 'several_communities', 1, ['C2']],
    ]);
  });
});
