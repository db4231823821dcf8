/** The grid editor (drafts, tools, publish): it needs the map; publishing redraws the grids. */
import { byId } from '../dom.ts';
import { Editor } from '../editor/editor.ts';
import type { MapAdapter } from '../map/adapter.ts';
import type { App } from './app-context.ts';

export function wireEditor(app: App, map: MapAdapter): void {
  const { details } = app;
  const editor = new Editor(byId('editor'), map, {
    overlay: byId('map').parentElement!,
    onActiveChange: (active) => {
      document.body.classList.toggle('editing', active);
      if (active) {
        map.selectGrid(null);
        details.close();
      }
    },
    // The grids, the tooltip's names and the region card's figures all change (district.ts).
    onPublished: () => app.reloadAfterPublish?.(),
  });
  app.editor = editor;
  editor.setUser(app.sessionUser);
}
