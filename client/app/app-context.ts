/**
 * What the wiring functions of the map app share: the panels that exist from the start, the
 * session and the district on show. The features wired once the map exists are null until
 * then, because the session may be known before (the sign-in check runs while the map loads).
 */
import type { SessionUser } from '../../common/contracts/auth.ts';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { RegionFeature } from '../../common/contracts/regions.ts';
import { byId } from '../dom.ts';
import type { Editor } from '../editor/editor.ts';
import type { MapAdapter } from '../map/adapter.ts';
import type { CasesPanel } from '../panels/cases-panel.ts';
import type { CoveragePanel } from '../panels/coverage-panel.ts';
import { DetailsPanel } from '../panels/details.ts';
import { ImportExportDialog } from '../panels/import-dialog.ts';
import type { LegendPanel } from '../panels/legend.ts';
import type { MapTooltip } from '../panels/map-tooltip.ts';
import type { RegionTree } from '../panels/region-tree.ts';
import { RegionSummaryPanel } from '../panels/region-summary.ts';
import { StatusLine } from '../panels/status-line.ts';
import type { ValidationPanel } from '../panels/validation.ts';

export interface App {
  readonly status: StatusLine;
  readonly details: DetailsPanel;
  readonly summary: RegionSummaryPanel;
  /** 导入 / 导出 (writers import, planners export). */
  readonly interop: ImportExportDialog;
  sessionUser: SessionUser | null;
  /** The loaded district's code; '' until it is loaded. */
  districtCode: string;
  /** The district's grids as GeoJSON; null when drawn from vector tiles. */
  districtGrids: GridCollection | null;
  /** The region selected in the tree. */
  currentRegion: RegionFeature | null;
  /** Counts grid requests: an answer that arrives after a newer click or a reload is dropped. */
  gridRequest: number;
  editor: Editor | null;
  validation: ValidationPanel | null;
  coverage: CoveragePanel | null;
  cases: CasesPanel | null;
  legend: LegendPanel | null;
  tree: RegionTree | null;
  /** Set once the map has its data: reloads what carries household figures after a sign-in or out. */
  reloadForSession: ((signedIn: boolean) => void) | null;
  /** A committed import redraws the layer it changed. */
  reloadAfterImport: ((layer: string) => void) | null;
  /** A published draft changed the grids: redraw them and the figures of the region on show. */
  reloadAfterPublish: (() => void) | null;
}

/** The app once the map exists. */
export interface MapApp extends App {
  readonly map: MapAdapter;
  readonly tooltip: MapTooltip;
}

export function createApp(): App {
  const app: App = {
    status: new StatusLine(byId('status')),
    details: new DetailsPanel(byId('details')),
    summary: new RegionSummaryPanel(byId('region-summary')),
    interop: new ImportExportDialog(byId('auth'), (layer) => app.reloadAfterImport?.(layer)),
    sessionUser: null,
    districtCode: '',
    districtGrids: null,
    currentRegion: null,
    gridRequest: 0,
    editor: null,
    validation: null,
    coverage: null,
    cases: null,
    legend: null,
    tree: null,
    reloadForSession: null,
    reloadAfterImport: null,
    reloadAfterPublish: null,
  };
  return app;
}
