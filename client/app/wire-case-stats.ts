/**
 * 案件统计 and the case layers: the dashboard card on the map's left (opened from the region
 * card, like 覆盖分析), and the sidebar's switches for case points and the 办结率 choropleth.
 * Both follow the region chosen in the tree and the dashboard's period.
 */
import type { CaseStats } from '../../common/contracts/cases.ts';
import type { CasePointProperties } from '../../common/contracts/case-points.ts';
import { byId, h, named } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { gridRateFeatures } from '../map/case-layers.ts';
import { CaseDashboard } from '../panels/case-dashboard.ts';
import { CaseLayerSwitches, type CaseLayerState } from '../panels/case-layer-switches.ts';
import { loadCasePoints, loadCaseStats } from '../panels/case-stats-api.ts';
import type { Period } from '../panels/case-stats-logic.ts';
import type { MapApp } from './app-context.ts';
import { closeSidebarOnPhone, leftCardChanged } from './layout.ts';

export function wireCaseStats(app: MapApp): void {
  const { map } = app;
  const overlay = map.createCaseOverlay();
  const card = byId('case-dashboard');
  let query: { region: string; period: Period } | null = null;
  let request = 0;

  const refresh = async (state: CaseLayerState) => {
    overlay.showPoints(state.points);
    overlay.showRates(state.rates);
    if (!query || (!state.points && !state.rates)) return;
    const id = ++request;
    const { region, period } = query;
    try {
      const [points, stats] = await Promise.all([
        state.points ? loadCasePoints(region, period) : null,
        state.rates ? loadCaseStats(region, period) : null,
      ]);
      if (id !== request) return;
      overlay.setPoints(points);
      overlay.setGridRates(stats ? gridRateFeatures(app.districtGrids, stats.byGrid) : null);
      switches.setNote(note(period, points?.features.length ?? null, stats));
      await map.whenIdle();
      // For the end-to-end tests: what the case layers show.
      document.body.dataset.casePoints = String(points?.features.length ?? 0);
      document.body.dataset.caseRates = String(
        stats ? gridRateFeatures(app.districtGrids, stats.byGrid).features.length : 0,
      );
    } catch (error) {
      if (id === request) switches.setNote((error as Error).message);
    }
  };
  const note = (period: Period, points: number | null, stats: CaseStats | null) =>
    [
      `${period.from} – ${period.to}`,
      points === null ? null : t('caseStats.layers.count', { n: points }),
      stats ? t('caseStats.layers.grids', { n: stats.byGrid.length }) : null,
    ]
      .filter(Boolean)
      .join(' · ');

  const switches = new CaseLayerSwitches(byId('case-layers'), (state) => void refresh(state));
  const dashboard = new CaseDashboard(card, {
    onOpenChange: (open) => {
      if (open) {
        app.coverage?.close();
        app.validation?.close();
        app.cases?.close();
        app.details.close();
      }
      document.body.classList.toggle('case-stats-open', open);
      leftCardChanged(app, card, 'coverage-open', open);
    },
    onQuery: (region, period) => {
      query = { region, period };
      void refresh(switches.current);
    },
  });
  app.caseStats = dashboard;
  app.caseLayers = switches;
  switches.setSignedIn(!!app.sessionUser);
  app.summary.onCaseStats = () => {
    dashboard.open();
    closeSidebarOnPhone();
  };
  if (app.currentRegion) dashboard.setRegion(app.currentRegion.properties);

  const popup = (c: CasePointProperties) => {
    const link = h('a', { href: `#case/${c.id}`, class: 'case-open', 'data-case': c.id }, t('caseStats.popup.open'));
    link.addEventListener('click', (event) => {
      if (!app.openCase) return; // no case panel in this build: the hash stays for it
      event.preventDefault();
      app.openCase(c.id);
    });
    return h(
      'div',
      { class: 'case-popup-body', id: 'case-popup', 'data-ticket': c.ticket },
      h('div', { class: 'item-title' }, c.ticket),
      h('div', {}, c.categoryName, ' · ', t(`caseStats.state.${c.state}` as MessageKey)),
      h('div', { class: `case-status ${c.status}` }, t(`caseStats.status.${c.status}` as MessageKey)),
      c.grid ? h('div', { class: 'muted small' }, named(app.tooltip.grids.get(c.grid)?.name, c.grid)) : null,
      link,
    );
  };
  map.on({
    overlayClick: (point, lngLat) => {
      if (app.editor?.active) return false;
      const hit = overlay.caseAt([point.x, point.y]);
      if (!hit) return false;
      overlay.showPopup(lngLat, popup(hit));
      return true;
    },
  });
}
