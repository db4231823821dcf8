/** Entry point: wires the API, the map adapter and the panels together, one feature at a time. */
import { createApp } from './app/app-context.ts';
import { loadDistrict, wireRegionTree, wireReloads } from './app/district.ts';
import { wireLanguageSwitch } from './app/static-text.ts';
import { wireSidebarToggle } from './app/layout.ts';
import { createMap, wireMapClicks } from './app/wire-map.ts';
import { wireCases } from './app/wire-cases.ts';
import { wireCoverage } from './app/wire-coverage.ts';
import { wireCaseStats } from './app/wire-case-stats.ts';
import { wireEditor } from './app/wire-editor.ts';
import { wireLegend } from './app/wire-legend.ts';
import { loadConfig, wireSession } from './app/wire-session.ts';
import { wireValidation } from './app/wire-validation.ts';
import { wireSearch } from './app/wire-search.ts';
// The stylesheets, in cascade order: base.css first (variables, layout, shared controls), then
// one per panel; the find page (find.html) has its own and loads none of these.
import './base.css';
import './panels/region-tree.css';
import './panels/region-summary.css';
import './panels/legend.css';
import './panels/status-line.css';
import './panels/map-tooltip.css';
import './panels/details.css';
import './panels/validation.css';
import './panels/map-cards.css';
import './panels/login.css';
import './editor/editor.css';
import './proposal/proposal.css';
import './panels/coverage.css';
import './panels/coverage-print.css';
import './panels/case-dashboard.css';
import './panels/cases.css';
import './panels/import-dialog.css';
import './panels/search-box.css';

async function main(): Promise<void> {
  wireLanguageSwitch();
  wireSidebarToggle();
  const app = createApp();
  // The session check runs while the map loads; the features wired below catch up with it.
  const login = wireSession(app);
  const map = await createMap(await loadConfig(login));
  wireEditor(app, map);
  const mapApp = Object.assign(app, { map, tooltip: wireMapClicks(app, map) });
  wireValidation(mapApp);
  wireCoverage(mapApp);
  wireCases(mapApp);
  wireCaseStats(mapApp);
  wireLegend(mapApp);
  wireSearch(mapApp);
  wireReloads(mapApp);
  await loadDistrict(mapApp, wireRegionTree(mapApp));
}

void main();
