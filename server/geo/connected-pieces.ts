/**
 * The connected pieces of an undirected graph given as nodes and edges (union–find).
 *
 * Used for party coverage: the grids of one organisation are the nodes, two grids that
 * share an edge of positive length are joined; more than one piece means the
 * organisation's area is not contiguous.
 *
 * @example
 *   connectedPieces(['a', 'b', 'c'], [['a', 'b']]) // → [['a', 'b'], ['c']]
 */
export function connectedPieces(nodes: readonly string[], edges: readonly (readonly [string, string])[]): string[][] {
  const parent = new Map<string, string>();
  for (const node of nodes) parent.set(node, node);
  const find = (node: string): string => {
    let root = node;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path compression keeps later look-ups flat.
    for (let n = node; n !== root;) {
      const next = parent.get(n)!;
      parent.set(n, root);
      n = next;
    }
    return root;
  };
  for (const [a, b] of edges) {
    // An edge to a node outside the set says nothing about the set's pieces.
    if (!parent.has(a) || !parent.has(b)) continue;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const pieces = new Map<string, string[]>();
  for (const node of [...parent.keys()].sort()) {
    const root = find(node);
    const piece = pieces.get(root);
    if (piece) piece.push(node);
    else pieces.set(root, [node]);
  }
  return [...pieces.values()].sort((p, q) => (p[0]! < q[0]! ? -1 : p[0]! > q[0]! ? 1 : 0));
}
