/** The dry-run (or commit) report of the import dialog: counts, invalid features by reason, topology, warnings. */
import type { ImportReport } from '../../common/contracts/interop.ts';
import { h, named, namedList, type Child } from '../dom.ts';
import { formatNumber, lang, t, type MessageKey } from '../i18n/index.ts';
import { formatArea } from '../problems.ts';
import { groupInvalid, reportCounts } from './import-logic.ts';

import { zh } from '../i18n/zh.ts';

const k = (key: string) => key as MessageKey;
/** A topology kind in words when the validation panel has a name for it, else as the server says it. */
const kindLabel = (kind: string) => (`validation.type.${kind}` in zh ? t(k(`validation.type.${kind}`)) : kind);

type TopologySample = NonNullable<ImportReport['topology']>['sample'][number];

/**
 * One problem the import brings, in words: "重叠：育才社区 · 第3网格 ↔ 第5网格 · 120 平方米",
 * codes on hover. An answer without names (an older server) falls back to its message.
 */
function sampleLine(s: TopologySample): Child[] {
  if (s.community === undefined) return [s.message, s.grids.length ? ` (${s.grids.join(', ')})` : ''];
  return [
    `${kindLabel(s.kind)}${t('interop.report.sampleColon')}`,
    named(s.community_name, s.community),
    ...(s.grids.length ? [' · ', ...namedList(s.grids, s.grid_names, s.kind === 'overlap' ? ' ↔ ' : '、')] : []),
    s.areaM2 === undefined ? '' : ` · ${t('validation.area', { value: formatArea(s.areaM2, lang()) })}`,
  ];
}

export function renderImportReport(report: ImportReport): HTMLElement {
  const counts = h(
    'div',
    { class: 'import-counts' },
    ...reportCounts(report).map((c) =>
      h(
        'div',
        { class: `import-count tone-${c.tone}`, 'data-key': c.key.split('.').pop() },
        h('div', { class: 'value' }, formatNumber(c.value)),
        h('div', { class: 'label' }, t(k(c.key))),
      ),
    ),
  );
  const crs = report.crs;
  const meta = h(
    'p',
    { class: 'muted small import-meta' },
    t('interop.report.meta', {
      format: report.format,
      crs: crs?.name ?? '—',
      source: crs ? t(k(`interop.report.crsSource.${crs.source}`)) : '—',
      encoding: report.encoding ?? '—',
    }),
  );

  const sections: HTMLElement[] = [];
  if (report.invalid.length) {
    const { groups, hidden } = groupInvalid(report.invalid);
    sections.push(
      h(
        'section',
        { class: 'import-invalid' },
        h('h4', {}, t('interop.report.invalidTitle', { count: formatNumber(report.invalid.length) })),
        h(
          'ul',
          {},
          ...groups.map((g) =>
            h(
              'li',
              {},
              h(
                'span',
                { class: 'rows' },
                g.rows
                  .map((r) => `${t('interop.report.invalidRow', { index: r.index })}${r.code ? ` (${r.code})` : ''}`)
                  .join('、'),
              ),
              h('div', { class: 'reason' }, g.reason),
            ),
          ),
        ),
        hidden > 0 ? h('p', { class: 'muted small' }, t('interop.report.more', { count: formatNumber(hidden) })) : null,
      ),
    );
  }
  if (report.topology) {
    const topo = report.topology;
    const title = report.asIs
      ? t('interop.asIs.problemsTitle', { count: formatNumber(topo.problems) })
      : t('interop.report.topologyTitle', { count: formatNumber(topo.problems) });
    sections.push(
      h(
        'section',
        { class: `import-topology${topo.problems ? ' has-problems' : ''}${report.asIs ? ' as-is' : ''}` },
        h('h4', {}, title),
        topo.problems === 0
          ? h('p', { class: 'muted small' }, t('interop.report.topologyNone'))
          : h(
              'ul',
              {},
              ...Object.entries(topo.byKind).map(([kind, n]) => h('li', {}, `${kindLabel(kind)}: ${formatNumber(n)}`)),
              ...topo.sample.map((s) => h('li', { class: 'small muted topology-sample' }, ...sampleLine(s))),
            ),
      ),
    );
  }
  if (report.warnings.length) {
    sections.push(
      h(
        'section',
        { class: 'import-warnings' },
        h('h4', {}, t('interop.report.warnings')),
        h('ul', {}, ...report.warnings.map((w) => h('li', {}, w))),
      ),
    );
  }
  return h(
    'div',
    { class: 'import-report', id: 'import-report', 'data-committed': report.committed ? '1' : '0' },
    h('h3', {}, report.committed ? t('interop.reportCommitted') : t('interop.report')),
    counts,
    report.committed
      ? h(
          'p',
          { class: 'import-done' },
          t('interop.committed', { create: formatNumber(report.create), update: formatNumber(report.update) }),
        )
      : null,
    report.committed && report.asIs?.changesets.length
      ? h(
          'p',
          { class: 'import-done as-is', id: 'import-as-is-done' },
          t('interop.asIs.committed', {
            count: report.asIs.changesets.length,
            ids: report.asIs.changesets.slice(0, 10).join(', '),
          }),
        )
      : null,
    meta,
    ...sections,
  );
}
