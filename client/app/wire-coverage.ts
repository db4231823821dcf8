/** 覆盖分析 (party coverage, station reach, suggestions): a left card with its own map overlay. */
import { api } from '../api.ts';
import { byId } from '../dom.ts';
import { CoveragePanel } from '../panels/coverage-panel.ts';
import type { MapApp } from './app-context.ts';
import { closeSidebarOnPhone, detailsInset, leftCardChanged } from './layout.ts';

export function wireCoverage(app: MapApp): void {
  const { map, details } = app;
  const card = byId('coverage');
  const overlay = map.createCoverageOverlay();
  // The legend beside the map explains the coverage colours while they are on.
  overlay.onShow = (view) => app.legend?.setCoverageView(view);
  const coverage = new CoveragePanel(card, {
    overlay,
    grids: () => app.districtGrids,
    bboxOf: (code) =>
      api.region(code).then(
        (region) => region.properties.bbox,
        () => null,
      ),
    fit: (bbox) => map.showProblem(bbox, detailsInset()),
    onOpenChange: (open) => {
      // One of the two left cards is open at a time.
      if (open) {
        app.validation?.close();
        app.cases?.close();
        details.close();
        map.selectGrid(null);
      }
      leftCardChanged(app, card, 'coverage-open', open);
    },
  });
  app.coverage = coverage;
  app.summary.setSignedIn(!!app.sessionUser);
  app.summary.onCoverage = () => {
    coverage.open();
    closeSidebarOnPhone();
  };
  // While a draft is open, map clicks pick grids for the editor, not for the coverage.
  map.on({ overlayClick: (point, lngLat) => !app.editor?.active && !!coverage.mapClick(point, lngLat) });
}
