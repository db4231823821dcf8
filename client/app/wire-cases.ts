/** 案件: the case queue's card over the map's left side, opened from the region summary. */
import { byId } from '../dom.ts';
import { CasesPanel } from '../panels/cases-panel.ts';
import type { MapApp } from './app-context.ts';
import { closeSidebarOnPhone, leftCardChanged } from './layout.ts';

export function wireCases(app: MapApp): void {
  const { map, details } = app;
  const card = byId('cases');
  // The opened case is ringed where it is (one ring at a time, shared with the search's pick).
  const ring = map.createSearchHitLayer();
  const cases = new CasesPanel(card, {
    onOpenChange: (open) => {
      // One left card is open at a time.
      if (open) {
        app.validation?.close();
        app.coverage?.close();
        app.caseStats?.close();
        details.close();
      }
      if (!open) ring.show(null);
      leftCardChanged(app, card, 'cases-open', open);
    },
    onCase: (c) => {
      if (c.lon === null || c.lat === null) return ring.show(null);
      ring.show({ lon: c.lon, lat: c.lat });
      map.showProblem([c.lon, c.lat, c.lon, c.lat]);
    },
  });
  app.cases = cases;
  // A case point's link (案件点位) opens the case here; planners read statistics, not cases.
  app.openCase = (id) => {
    if (!app.sessionUser || app.sessionUser.role === 'planner') return;
    cases.showCase(id);
    closeSidebarOnPhone();
  };
  if (app.currentRegion) cases.setRegion(app.currentRegion.properties);
  cases.setUser(app.sessionUser);
  app.summary.onCases = () => {
    cases.show('region');
    closeSidebarOnPhone();
  };
  const user = app.sessionUser;
  app.summary.setSignedIn(!!user, !!user && user.role !== 'planner');
}
