/** 校验: the check's card over the map's left side, opened from the summary; its problems drawn on the map. */
import { byId } from '../dom.ts';
import { ValidationPanel } from '../panels/validation.ts';
import { bboxOf } from '../problems.ts';
import type { MapApp } from './app-context.ts';
import { closeSidebarOnPhone, detailsInset, leftCardChanged } from './layout.ts';

export function wireValidation(app: MapApp): void {
  const { map, tooltip } = app;
  const card = byId('validation');
  app.validation = new ValidationPanel(card, {
    gridName: (code) => tooltip.grids.get(code)?.name,
    onReport: (report) => {
      map.setProblems(report?.problems ?? null);
      if (report) app.tree?.setStatuses(report.communities);
    },
    onProblem: (problem) => {
      map.highlightProblem(problem.properties.id);
      const [lon, lat] = problem.properties.point;
      map.showProblem(bboxOf(problem.geometry) ?? [lon, lat, lon, lat], detailsInset());
    },
    onOpenChange: (open) => leftCardChanged(app, card, 'validation-open', open),
  });
  app.summary.onValidate = () => {
    app.coverage?.close();
    app.cases?.close();
    app.validation?.open();
    // On a phone the card is a sheet below the map: close the drawer over it.
    closeSidebarOnPhone();
  };
  map.on({ problemClick: (id) => !!app.validation?.select(id) && map.highlightProblem(id) });
}
