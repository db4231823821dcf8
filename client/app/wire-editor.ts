/** The grid editor (drafts, tools, publish): it needs the map; publishing redraws the grids. */
import { api } from '../api.ts';
import { byId } from '../dom.ts';
import { Editor } from '../editor/editor.ts';
import type { MapAdapter } from '../map/adapter.ts';
import type { App } from './app-context.ts';

export function wireEditor(app: App, map: MapAdapter): void {
  const { details, status } = app;
  const editor = new Editor(byId('editor'), map, {
    overlay: byId('map').parentElement!,
    onActiveChange: (active) => {
      document.body.classList.toggle('editing', active);
      if (active) {
        map.selectGrid(null);
        details.close();
      }
    },
    onPublished: () => {
      map.refreshGridTiles();
      if (map.usesGridTiles) return;
      void api.grids(app.districtCode).then((grids) => {
        app.districtGrids = grids;
        map.setGrids(grids);
        app.editor?.setPublishedGrids(grids);
        status.setGrids(grids);
      });
    },
  });
  app.editor = editor;
  editor.setUser(app.sessionUser);
}
