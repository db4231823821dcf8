/**
 * The residents' case pages over the finder: a full-screen panel (phones first) that shows the
 * report form, the receipt, a case's progress or 我的反映. The tracking link opens it directly;
 * "在地图上点选" hides it while the resident taps the finder's map.
 */
import type { NewPublicCaseResponse } from '../../common/contracts/cases.ts';
import { byId, h } from '../dom.ts';
import type { PublicCategory } from './case-api.ts';
import { keepCase, KEPT_CASES_KEY, parseKeptCases, trackedCase, type KeptCase } from './case-format.ts';
import { reportForm, type CaseLocation, type ReportForm } from './case-form.ts';
import { categoryLabel, ct, type CaseKey } from './case-i18n.ts';
import { mineList, receipt } from './case-receipt.ts';
import { showTracking } from './case-track.ts';

export interface CaseHost {
  /** The place the finder shows now, to start the form from. */
  initialLocation(): CaseLocation | null;
  /** Loads the map if needed; false when there is none (no WebGL). */
  ensureMap(): Promise<boolean>;
  /** While set, a tap on the map goes here instead of to the finder's lookup. */
  setTap(tap: ((lon: number, lat: number) => void) | null): void;
}

type View = 'form' | 'receipt' | 'track' | 'mine';

export class CasePanel {
  private readonly panel = byId('case-panel');
  private readonly body = byId('case-body');
  private readonly title = byId('case-title');
  private readonly mineButton = byId<HTMLButtonElement>('case-mine-open');
  /** The form being filled in: kept while the resident picks a place or looks at 我的反映. */
  private form: ReportForm | null = null;
  private cancelPick: (() => void) | null = null;

  constructor(private readonly host: CaseHost) {
    byId('report-open').addEventListener('click', () => this.openForm());
    byId('case-close').addEventListener('click', () => this.close());
    this.mineButton.addEventListener('click', () => this.openMine());
    byId('pick-cancel').addEventListener('click', () => this.cancelPick?.());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
    this.applyLang();
  }

  /** Opens the tracking page when the address is a tracking link; true when it did. */
  openFromUrl(): boolean {
    const tracked = trackedCase(location.search);
    if (!tracked) return false;
    this.openTracking(tracked.ticket, tracked.token);
    return true;
  }

  applyLang(): void {
    for (const element of document.querySelectorAll<HTMLElement>('[data-ck]'))
      element.textContent = ct(element.dataset.ck as CaseKey);
    byId('case-close').setAttribute('aria-label', ct('close'));
    this.mineButton.textContent = ct('mineCount', { n: this.kept().length });
  }

  openForm(): void {
    this.form ??= reportForm({
      pickOnMap: () => this.pickOnMap(),
      submitted: (answer, category, place) => this.submitted(answer, category, place),
    });
    this.form.offerLocation(this.host.initialLocation());
    this.show('form', 'reportTitle', this.form.element);
  }

  private submitted(answer: NewPublicCaseResponse, category: PublicCategory, place: CaseLocation): void {
    this.form = null;
    this.keep({
      ticket: answer.ticket,
      token: answer.token,
      category: categoryLabel(category),
      reportedAt: new Date().toISOString(),
    });
    this.show(
      'receipt',
      'reportTitle',
      // The community the form named, when the intake routed to the grid the form named.
      receipt(answer, category, answer.grid?.code === place.grid?.code ? (place.community?.name ?? null) : null, {
        track: () => this.openTracking(answer.ticket, answer.token),
        close: () => this.close(),
        another: () => this.openForm(),
      }),
    );
  }

  openTracking(ticket: string, token: string): void {
    const container = h('div', { id: 'case-tracking' });
    this.show('track', 'trackTitle', container);
    history.replaceState(
      null,
      '',
      `${location.pathname}?case=${encodeURIComponent(ticket)}&token=${encodeURIComponent(token)}`,
    );
    void showTracking(container, ticket, token);
  }

  private openMine(): void {
    this.show(
      'mine',
      'mine',
      mineList(this.kept(), (c) => this.openTracking(c.ticket, c.token)),
    );
  }

  close(): void {
    this.panel.hidden = true;
    delete document.body.dataset.caseView;
    const params = new URLSearchParams(location.search);
    if (params.has('case') || params.has('token')) {
      params.delete('case');
      params.delete('token');
      const rest = params.toString();
      history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}`);
    }
    byId('report-open').focus();
  }

  private show(view: View, title: CaseKey, content: HTMLElement): void {
    this.title.textContent = ct(title);
    this.mineButton.hidden = view === 'mine';
    this.mineButton.textContent = ct('mineCount', { n: this.kept().length });
    this.body.replaceChildren(content);
    this.body.scrollTop = 0;
    this.panel.hidden = false;
    document.body.dataset.caseView = view; // for the e2e test and the CSS
    this.title.focus();
  }

  /** Hide the panel, take one tap on the map (or a cancel), then show the form again. */
  private async pickOnMap(): Promise<{ lon: number; lat: number } | null> {
    this.panel.hidden = true;
    document.body.dataset.picking = '1';
    const banner = byId('pick-banner');
    banner.hidden = false;
    const hasMap = await this.host.ensureMap();
    const point = hasMap
      ? await new Promise<{ lon: number; lat: number } | null>((resolve) => {
          this.cancelPick = () => resolve(null);
          this.host.setTap((lon, lat) => resolve({ lon, lat }));
        })
      : null;
    this.host.setTap(null);
    this.cancelPick = null;
    banner.hidden = true;
    delete document.body.dataset.picking;
    this.panel.hidden = false;
    if (!hasMap) byId('case-error-location').textContent = ct('mapUnavailable');
    byId('case-error-location').hidden = hasMap;
    return point;
  }

  private kept(): KeptCase[] {
    try {
      return parseKeptCases(localStorage.getItem(KEPT_CASES_KEY));
    } catch {
      return []; // storage blocked: the tracking link is the only record
    }
  }

  private keep(entry: KeptCase): void {
    try {
      localStorage.setItem(KEPT_CASES_KEY, JSON.stringify(keepCase(this.kept(), entry)));
    } catch {
      // Storage blocked or full: the receipt's link still works.
    }
  }
}
