/**
 * A small reader for coordinate-system WKT (WKT1 as in ESRI .prj files and OGC, and WKT2):
 * `KEYWORD["name", 1.0, CHILD[…], …]` becomes a tree. Enough to read names, parameters and
 * authorities; it never evaluates anything, so a hostile .prj can only fail to parse.
 */

export interface WktNode {
  keyword: string;
  /** Quoted strings and numbers, in order. */
  values: (string | number)[];
  children: WktNode[];
}

/** Parses one WKT node; returns undefined for text that is not WKT. */
export function parseWkt(text: string): WktNode | undefined {
  let i = 0;
  const s = text.trim();
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  function node(depth: number): WktNode | undefined {
    if (depth > 32) return undefined;
    ws();
    const kw = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (!kw) return undefined;
    i += kw[0].length;
    ws();
    const open = s[i];
    if (open !== '[' && open !== '(') return { keyword: kw[0].toUpperCase(), values: [], children: [] };
    const close = open === '[' ? ']' : ')';
    i++;
    const out: WktNode = { keyword: kw[0].toUpperCase(), values: [], children: [] };
    for (;;) {
      ws();
      const c = s[i];
      if (c === undefined) return undefined;
      if (c === close) {
        i++;
        return out;
      }
      if (c === ',') {
        i++;
        continue;
      }
      if (c === '"') {
        let j = i + 1;
        let str = '';
        for (;;) {
          if (j >= s.length) return undefined;
          if (s[j] === '"') {
            if (s[j + 1] === '"') {
              str += '"';
              j += 2;
              continue;
            }
            break;
          }
          str += s[j++];
        }
        out.values.push(str);
        i = j + 1;
        continue;
      }
      const num = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(s.slice(i));
      if (num) {
        out.values.push(Number(num[0]));
        i += num[0].length;
        continue;
      }
      const child = node(depth + 1);
      if (!child) return undefined;
      out.children.push(child);
    }
  }
  return node(0);
}

/** Normalises a WKT name for comparison: lower case, spaces/underscores/dashes/dots removed. */
export const normName = (s: string) => s.toLowerCase().replace(/[\s_\-.()/–]+/g, '');

/** The first descendant (depth-first, including `node`) whose keyword is one of `keywords`. */
export function findNode(node: WktNode, keywords: string[]): WktNode | undefined {
  if (keywords.includes(node.keyword)) return node;
  for (const child of node.children) {
    const hit = findNode(child, keywords);
    if (hit) return hit;
  }
  return undefined;
}

/** PARAMETER["name", value] children of `node` (not of its nested nodes), by normalised name. */
export function wktParams(node: WktNode): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (n: WktNode) => {
    for (const c of n.children) {
      if (c.keyword === 'PARAMETER' && typeof c.values[0] === 'string' && typeof c.values[1] === 'number') {
        out.set(normName(c.values[0]), c.values[1]);
      }
      // WKT2 puts parameters inside CONVERSION[…].
      if (c.keyword === 'CONVERSION') visit(c);
    }
  };
  visit(node);
  return out;
}

/** The EPSG code in the node's own AUTHORITY["EPSG", "…"] or ID["EPSG", …]. */
export function wktEpsg(node: WktNode): number | undefined {
  for (const c of node.children) {
    if ((c.keyword === 'AUTHORITY' || c.keyword === 'ID') && String(c.values[0]).toUpperCase() === 'EPSG') {
      const code = Number(c.values[1]);
      if (Number.isInteger(code)) return code;
    }
  }
  return undefined;
}
