/**
 * 党组织覆盖: the region's totals and a table per street and community (GET /api/coverage/party),
 * the organisations whose grids are split or span communities (click to zoom), and the chosen
 * organisation's area, grids and households (GET /api/party-orgs/:code/area).
 */
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import type { PartyOrgArea } from '../../common/contracts/party.ts';
import { api } from '../api.ts';
import { append, h, named } from '../dom.ts';
import { formatNumber, t, type MessageKey } from '../i18n/index.ts';
import { partyLegend } from './coverage-legends.ts';
import { LatestRequest, ReportRequest, bboxOf, statusLine, table, type CoverageContext } from './coverage-common.ts';
import { orgIssueEntries, partyTableRows, percent } from './coverage-logic.ts';

type OrgView =
  | { kind: 'none' }
  | { kind: 'grid'; name: string; orgs: string[] }
  | { kind: 'loading'; code: string }
  | { kind: 'area'; area: PartyOrgArea }
  | { kind: 'error'; message: string };

export class PartyCoverageView {
  readonly element = h('div', { class: 'coverage-view', id: 'coverage-party' });
  private org: OrgView = { kind: 'none' };
  private readonly request = new ReportRequest<PartyCoverageReport>();
  private readonly orgRequest = new LatestRequest();
  /** Names of the region's organisations, for a grid claimed by several (codes otherwise). */
  private orgNames = new Map<string, string>();

  constructor(private readonly ctx: CoverageContext) {}

  get report(): PartyCoverageReport | null {
    return this.request.report;
  }

  /** Load the report of the current region unless it is loaded already. */
  async activate(): Promise<void> {
    const region = this.ctx.region();
    if (!region || this.request.isFor(region.code)) return this.render();
    const shown = await this.request.load(region.code, (signal) => api.partyCoverage(region.code, signal), {
      started: () => {
        this.render();
        void api.partyOrgs(region.code).then(
          (list) => (this.orgNames = new Map(list.party_orgs.map((org) => [org.code, org.name]))),
          () => undefined, // names are a nicety: codes stand in for them
        );
      },
      loaded: (report) => this.ctx.overlay.setParty(this.ctx.grids(), report),
    });
    if (!shown) return;
    this.render();
    this.ctx.changed();
  }

  /** A new region: the old report goes; the next activate() loads the new one. */
  reset(): void {
    this.request.reset();
    this.orgRequest.abort();
    this.org = { kind: 'none' };
    this.ctx.overlay.setParty(null, null);
    this.ctx.overlay.setSelectedOrg(null);
  }

  /** A grid clicked on the map: its organisation (or the organisations claiming it). */
  pickGrid(code: string): void {
    const grid = this.ctx.grids()?.features.find((f) => f.properties.code === code);
    if (!grid) return;
    const orgs = grid.properties.party_orgs;
    if (orgs.length === 1) return void this.selectOrg(orgs[0]!, false);
    this.ctx.overlay.setSelectedOrg(null);
    this.org = { kind: 'grid', name: grid.properties.name, orgs };
    this.render();
  }

  /** Show an organisation's area on the map and its grids in the panel; `zoom` fits the map to it. */
  async selectOrg(code: string, zoom: boolean): Promise<void> {
    this.org = { kind: 'loading', code };
    this.render();
    const answer = await this.orgRequest.run((signal) => api.partyOrgArea(code, signal));
    if (!answer) return;
    if ('value' in answer) {
      const area = answer.value;
      this.org = { kind: 'area', area };
      this.ctx.overlay.setSelectedOrg(area.outline);
      const bbox = bboxOf(area.outline);
      if (zoom && bbox) this.ctx.fit(bbox);
    } else {
      const status = answer.failure;
      this.org = status?.kind === 'error' ? { kind: 'error', message: status.message } : { kind: 'none' };
    }
    this.render();
  }

  render(): void {
    const report = this.report;
    const { status } = this.request;
    this.element.replaceChildren(statusLine(status));
    this.element.classList.toggle('stale', status.kind !== 'idle');
    if (!report) return;
    const total = report.regions[0];
    if (total) {
      const figure = (id: string, value: number | string, label: MessageKey, tone = '') =>
        h(
          'div',
          { class: `figure ${tone}`, id, 'data-count': value },
          h('div', { class: 'figure-value' }, typeof value === 'number' ? formatNumber(value) : `${value}%`),
          h('div', { class: 'figure-label' }, t(label)),
        );
      this.element.append(
        h(
          'div',
          { class: 'figures coverage-figures' },
          figure('coverage-grids', total.grids, 'coverage.party.grids'),
          figure('coverage-uncovered', total.uncovered, 'coverage.party.uncovered', total.uncovered ? 'bad' : 'good'),
          figure(
            'coverage-claimed-twice',
            total.claimedTwice,
            'coverage.party.claimedTwice',
            total.claimedTwice ? 'twice' : 'good',
          ),
          figure('coverage-share', percent(total.householdsShare), 'coverage.party.share'),
        ),
      );
      if (!total.uncovered && !total.claimedTwice)
        this.element.append(h('p', { class: 'all-ok' }, '✓ ', t('coverage.party.allCovered')));
    }
    this.element.append(partyLegend(), this.orgCard(), this.regionTable(report), this.issueList(report));
  }

  private regionTable(report: PartyCoverageReport): HTMLElement {
    const rows = partyTableRows(report).map((row) => ({
      attrs: { 'data-code': row.code, 'data-depth': row.depth, class: row.depth === 0 ? 'total' : undefined },
      cells: [
        named(row.name, row.code, 'hover', { class: 'named region-name', style: `--depth:${row.depth}` }),
        formatNumber(row.grids),
        formatNumber(row.covered),
        row.uncovered ? h('strong', { class: 'bad' }, formatNumber(row.uncovered)) : '0',
        row.claimedTwice ? h('strong', { class: 'twice' }, formatNumber(row.claimedTwice)) : '0',
        `${row.percent}%`,
      ],
    }));
    const headers = (['region', 'grids', 'covered', 'uncovered', 'claimedTwice', 'share'] as const).map((k) =>
      t(`coverage.party.${k}`),
    );
    const element = table('coverage-party-table', headers, rows, [1, 2, 3, 4, 5]);
    element.querySelector('thead th:last-child')?.setAttribute('title', t('coverage.party.shareHint'));
    return h('div', { class: 'table-wrap' }, element);
  }

  private issueList(report: PartyCoverageReport): HTMLElement {
    const entries = orgIssueEntries(report.orgIssues);
    const list = h(
      'ul',
      { class: 'coverage-list', id: 'coverage-org-issues' },
      ...entries.map((entry) => {
        const issues = entry.issues.map((issue) =>
          t(`coverage.party.issue.${issue}`, { pieces: entry.pieces, count: entry.communities.length }),
        );
        const button = h(
          'button',
          { type: 'button', class: 'coverage-item', 'data-org': entry.code },
          h(
            'span',
            { class: 'item-title' },
            named(entry.name, entry.code),
            ' ',
            h('span', { class: 'tag' }, t(`partyKind.${entry.kind}`)),
          ),
          h(
            'span',
            { class: 'item-meta' },
            [t('coverage.party.orgGrids', { count: entry.grids.length }), ...issues].join(' · '),
          ),
        );
        button.addEventListener('click', () => void this.selectOrg(entry.code, true));
        return h('li', {}, button);
      }),
    );
    return h(
      'section',
      { class: 'coverage-section' },
      h('h3', {}, t('coverage.party.orgIssues'), h('span', { class: 'severity-count' }, formatNumber(entries.length))),
      entries.length ? list : h('p', { class: 'muted small' }, t('coverage.party.noIssues')),
    );
  }

  private orgCard(): HTMLElement {
    const org = this.org;
    const card = h('div', { class: 'org-card', id: 'coverage-org' });
    if (org.kind === 'none') card.append(h('p', { class: 'muted small' }, t('coverage.party.clickHint')));
    else if (org.kind === 'loading') card.append(h('p', { class: 'muted small' }, t('coverage.party.loadingOrg')));
    else if (org.kind === 'error') card.append(h('p', { class: 'error small' }, org.message));
    else if (org.kind === 'grid') {
      if (!org.orgs.length)
        card.append(h('p', { class: 'bad' }, t('coverage.party.gridUncovered', { name: org.name })));
      else {
        card.append(h('p', {}, t('coverage.party.gridClaimedBy', { name: org.name, count: org.orgs.length })));
        for (const code of org.orgs) {
          const button = h(
            'button',
            { type: 'button', class: 'link', 'data-org': code },
            named(this.orgNames.get(code), code),
          );
          button.addEventListener('click', () => void this.selectOrg(code, true));
          card.append(button, ' ');
        }
      }
    } else {
      const { area } = org;
      card.dataset.org = area.org.code;
      append(card, [
        h(
          'div',
          { class: 'item-title' },
          named(area.org.name, area.org.code),
          ' ',
          h('span', { class: 'tag' }, t(`partyKind.${area.org.kind}`)),
        ),
        h(
          'div',
          { class: 'small' },
          t('coverage.party.orgHouseholds', { grids: area.grids.length, households: formatNumber(area.households) }),
        ),
        area.org.secretary_name
          ? h('div', { class: 'muted small' }, t('coverage.party.secretary', { name: area.org.secretary_name }))
          : null,
        h(
          'ul',
          { class: 'chips' },
          ...area.grids.map((g) =>
            h('li', { title: g.code }, `${g.name} · ${t('tooltip.households', { count: formatNumber(g.households) })}`),
          ),
        ),
      ]);
    }
    return card;
  }
}
