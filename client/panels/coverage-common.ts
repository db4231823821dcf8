/** What the coverage panel's tabs share: the region, the grids, the map, the reach settings. */
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { RegionLevel } from '../../common/domain.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { Bbox } from '../map/adapter.ts';
import type { CoverageOverlay } from '../map/coverage-overlay.ts';
import { errorMessage, type ReachSettings } from './coverage-logic.ts';

export interface CoverageRegion {
  code: string;
  name: string;
  level: RegionLevel;
}

export interface CoverageContext {
  readonly overlay: CoverageOverlay;
  /** The district's published grids (geometry for the map). */
  grids(): GridCollection | null;
  region(): CoverageRegion | null;
  /** Minutes, speed and kinds: set in the reach tab, used by suggestions and exports too. */
  settings: ReachSettings;
  fit(bbox: Bbox): void;
  /** Something changed that the panel's shell shows (export links, print). */
  changed(): void;
}

export type Status = { kind: 'idle' } | { kind: 'loading' } | { kind: 'error'; message: string };

/** The status line of a tab: spinner and 计算中…, the error in plain words, or the timing. */
export function statusLine(status: Status, idleText = ''): HTMLElement {
  const text = status.kind === 'loading' ? t('coverage.loading') : status.kind === 'error' ? status.message : idleText;
  return h('p', { class: `coverage-status ${status.kind}`, role: 'status', 'aria-live': 'polite' }, text);
}

/** A tab's request: a newer one aborts the last, whose answer (or error) is then dropped. */
export class LatestRequest {
  private controller: AbortController | null = null;

  abort(): void {
    this.controller?.abort();
  }

  /** The answer, or the failure as a Status (null: aborted); undefined when a newer request took over. */
  async run<T>(
    fetch: (signal: AbortSignal) => Promise<T>,
  ): Promise<{ value: T } | { failure: Status | null } | undefined> {
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    try {
      const value = await fetch(controller.signal);
      return controller === this.controller ? { value } : undefined;
    } catch (error) {
      return controller === this.controller ? { failure: failed(error) } : undefined;
    }
  }
}

/**
 * A tab's report, loaded for a key (the region's code, or the region and the reach query):
 * loaded once per key, one request at a time; a failed load is tried again on the next call.
 */
export class ReportRequest<T> {
  report: T | null = null;
  status: Status = { kind: 'idle' };
  /** The key of the report shown or being loaded. */
  private key: string | null = null;
  private readonly latest = new LatestRequest();

  isFor(key: string): boolean {
    return this.key === key;
  }

  /** Load for `key`; false when a newer load took over (nothing to show then). */
  async load(
    key: string,
    fetch: (signal: AbortSignal) => Promise<T>,
    hooks: { started(): void; loaded(report: T): void },
  ): Promise<boolean> {
    this.key = key;
    this.status = { kind: 'loading' };
    hooks.started();
    const answer = await this.latest.run(fetch);
    if (!answer) return false;
    if ('value' in answer) {
      this.report = answer.value;
      this.status = { kind: 'idle' };
      hooks.loaded(answer.value);
    } else {
      this.key = null;
      this.status = answer.failure ?? { kind: 'idle' };
    }
    return true;
  }

  reset(): void {
    this.latest.abort();
    this.key = null;
    this.report = null;
  }
}

/** An error (or abort) as a Status; null for an aborted request, which needs no message. */
export function failed(error: unknown): Status | null {
  if ((error as Error)?.name === 'AbortError') return null;
  const { key, params } = errorMessage(error);
  return { kind: 'error', message: t(key, params ?? {}) };
}

export function bboxOf(geometry: GeoJSON.Geometry | null): Bbox | null {
  if (!geometry) return null;
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1] as number);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  visit((geometry as { coordinates?: unknown }).coordinates);
  return Number.isFinite(box[0]) ? box : null;
}

export const swatch = (color: string, extra = '') =>
  h('span', { class: `swatch ${extra}`, style: `--swatch:${color}` });

/** A table with a header row; `numeric` columns are right-aligned. */
export interface TableRow {
  cells: (string | number | HTMLElement)[];
  attrs?: Record<string, string | number | undefined>;
}
export function table(id: string, headers: string[], rows: TableRow[], numeric: number[] = []): HTMLTableElement {
  const cell = (tag: 'th' | 'td', value: string | number | HTMLElement, i: number) =>
    h(tag, { class: numeric.includes(i) ? 'num' : undefined }, value instanceof HTMLElement ? value : String(value));
  return h(
    'table',
    { class: 'coverage-table', id },
    h('thead', {}, h('tr', {}, ...headers.map((text, i) => cell('th', text, i)))),
    h(
      'tbody',
      {},
      ...rows.map((row) => h('tr', row.attrs ?? {}, ...row.cells.map((value, i) => cell('td', value, i)))),
    ),
  );
}
