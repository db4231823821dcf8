/**
 * Plain HTML for `f=html` (and browsers): the same documents as the JSON, as tables and
 * links, Chinese first. Every value from the database goes through `escapeHtml`: grid and
 * station names are typed by users, so they must never become markup. No scripts, no
 * external resources: the pages work offline.
 */
import type { OgcFeature } from './ogc.queries.ts';

export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:1.5em;max-width:70em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}</style>
</head><body>
<p><a href="/ogc?f=html">网格 OGC API – Features</a> · <a href="/ogc/collections?f=html">数据集合 Collections</a></p>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

/** Links as a list, each to its HTML form when it is one of ours. */
function linkList(links: readonly Link[]): string {
  const items = links.map(
    (l) =>
      `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title ?? l.rel)}</a> <small>(${escapeHtml(l.rel)}${l.type ? `, ${escapeHtml(l.type)}` : ''})</small></li>`,
  );
  return `<ul>${items.join('')}</ul>`;
}

function valueCell(value: unknown): string {
  if (value === null || value === undefined) return '<td>—</td>';
  if (Array.isArray(value)) return `<td>${value.map(escapeHtml).join(', ')}</td>`;
  return `<td>${escapeHtml(value)}</td>`;
}

export function landingHtml(doc: { title: string; description: string; links: Link[] }): string {
  return page(doc.title, `<p>${escapeHtml(doc.description)}</p>${linkList(doc.links)}`);
}

export function conformanceHtml(doc: { conformsTo: string[] }): string {
  return page('符合性 Conformance', `<ul>${doc.conformsTo.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>`);
}

export interface CollectionSummary {
  id: string;
  title: string;
  description: string;
  extent: { spatial: { bbox: number[][] } };
}

export function collectionsHtml(collections: readonly CollectionSummary[]): string {
  const rows = collections.map(
    (
      c,
    ) => `<tr><td><a href="/ogc/collections/${encodeURIComponent(c.id)}?f=html">${escapeHtml(c.title)}</a></td><td>${escapeHtml(c.id)}</td>
<td>${escapeHtml(c.description)}</td><td>${escapeHtml((c.extent.spatial.bbox[0] ?? []).map((n) => n.toFixed(5)).join(', '))}</td>
<td><a href="/ogc/collections/${encodeURIComponent(c.id)}/items?f=html">要素 items</a></td></tr>`,
  );
  return page(
    '数据集合 Collections',
    `<table><tr><th>名称</th><th>id</th><th>说明</th><th>范围 bbox (CRS84)</th><th></th></tr>${rows.join('')}</table>`,
  );
}

export function collectionHtml(c: CollectionSummary & { links: Link[] }): string {
  return page(
    c.title,
    `<p>${escapeHtml(c.description)}</p>
<p>范围 bbox (CRS84): ${escapeHtml((c.extent.spatial.bbox[0] ?? []).join(', '))}</p>${linkList(c.links)}`,
  );
}

export function itemsHtml(
  title: string,
  collectionId: string,
  columns: readonly { name: string; title: string }[],
  doc: { features: OgcFeature[]; numberMatched?: number; numberReturned: number; links: Link[] },
): string {
  const head = `<tr><th>id</th>${columns.map((c) => `<th>${escapeHtml(c.title)}<br><small>${escapeHtml(c.name)}</small></th>`).join('')}</tr>`;
  const rows = doc.features.map(
    (f) =>
      `<tr><td><a href="/ogc/collections/${encodeURIComponent(collectionId)}/items/${encodeURIComponent(f.id)}?f=html">${escapeHtml(f.id)}</a></td>${columns
        .map((c) => valueCell(f.properties[c.name]))
        .join('')}</tr>`,
  );
  const paging = doc.links
    .filter((l) => l.rel === 'next' || l.rel === 'prev')
    .map((l) => ({ ...l, title: l.rel === 'next' ? '下一页 next' : '上一页 prev' }));
  return page(
    title,
    `<p>${
      doc.numberMatched === undefined
        ? `本页 ${doc.numberReturned} 个 (${doc.numberReturned} returned)`
        : `共 ${doc.numberMatched} 个，本页 ${doc.numberReturned} 个 (${doc.numberMatched} matched, ${doc.numberReturned} returned)`
    }</p>
<table>${head}${rows.join('')}</table>${linkList(paging)}`,
  );
}

export function itemHtml(
  title: string,
  columns: readonly { name: string; title: string }[],
  feature: OgcFeature,
  links: Link[],
): string {
  const rows = columns.map(
    (c) =>
      `<tr><th>${escapeHtml(c.title)} <small>${escapeHtml(c.name)}</small></th>${valueCell(feature.properties[c.name])}</tr>`,
  );
  const geometry = feature.geometry
    ? `<p>几何 geometry: ${escapeHtml(feature.geometry.type)}</p>`
    : '<p>无几何 no geometry</p>';
  return page(`${title} ${feature.id}`, `<table>${rows.join('')}</table>${geometry}${linkList(links)}`);
}
