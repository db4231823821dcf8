/** Sign-in: who may see household figures, 校验, 覆盖分析, the editor and 导入 / 导出. */
import { api, type ClientConfig } from '../api.ts';
import { byId } from '../dom.ts';
import { householdBounds } from '../household-bounds.ts';
import { LoginPanel } from '../panels/login.ts';
import type { App } from './app-context.ts';

/** The sign-in panel; asks the server who is signed in without waiting for the answer. */
export function wireSession(app: App): LoginPanel {
  const login = new LoginPanel(byId('auth'), (user) => {
    app.sessionUser = user;
    app.editor?.setUser(user);
    app.interop.setUser(user);
    app.cases?.setUser(user);
    // Household figures, 校验 and 覆盖分析 are for signed-in users only (the API enforces it).
    app.summary.setSignedIn(!!user, !!user && user.role !== 'planner');
    app.legend?.setHouseholdsVisible(!!user);
    if (!user) {
      app.coverage?.signOut();
      app.validation?.close();
    }
    app.reloadForSession?.(!!user);
    // The bands' bounds come from the API (per district), for signed-in users only.
    if (user) void householdBounds.load().catch((error: Error) => console.error(error));
    else householdBounds.clear();
  });
  void login.refresh();
  return login;
}

/** The server's settings for the client: the basemap and whether the data is the demo's. */
export async function loadConfig(login: LoginPanel): Promise<ClientConfig> {
  const config = await api.config().catch(() => ({ basemapStyleUrl: null, demo: false }));
  byId('demo-badge').hidden = !config.demo;
  login.setDemo(config.demo);
  return config;
}
