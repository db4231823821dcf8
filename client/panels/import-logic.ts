/**
 * The import dialog's state as pure functions (no DOM, no fetch), so the rules a user meets
 * are unit-tested: which coordinate systems can be declared, how the mapping table behaves
 * (one column feeds one field, as the server requires), when a report is stale or blocks the
 * commit, and how an API error reads in plain words.
 */
import type { ImportReport, InteropLayer, LayerField } from '../../common/contracts/interop.ts';

// ---------------------------------------------------------------------------------------
// Coordinate systems a user may declare

export interface CrsOption {
  /** The value sent as `crs` ('' = let the file say: its .prj, else WGS84). */
  value: string;
  /** Message key and its parameters. */
  label: { key: string; params?: Record<string, string | number> };
  group: 'auto' | 'geo' | 'gkZone' | 'gkCm' | 'web';
}

/**
 * CGCS2000 3-degree Gauss–Krüger: zones 25–45 with the zone number prefixed to the easting
 * are EPSG:4513–4533; the same zones without the prefix, named by central meridian 75°E–135°E,
 * are EPSG:4534–4554.
 */
export function crsOptions(): CrsOption[] {
  const options: CrsOption[] = [
    { value: '', label: { key: 'interop.crs.auto' }, group: 'auto' },
    { value: 'EPSG:4326', label: { key: 'interop.crs.wgs84' }, group: 'geo' },
    { value: 'EPSG:4490', label: { key: 'interop.crs.cgcs2000' }, group: 'geo' },
  ];
  for (let zone = 25; zone <= 45; zone++) {
    options.push({
      value: `EPSG:${4513 + zone - 25}`,
      label: { key: 'interop.crs.gkZone', params: { zone } },
      group: 'gkZone',
    });
  }
  for (let zone = 25; zone <= 45; zone++) {
    options.push({
      value: `EPSG:${4534 + zone - 25}`,
      label: { key: 'interop.crs.gkCm', params: { cm: zone * 3 } },
      group: 'gkCm',
    });
  }
  options.push({ value: 'GCJ-02', label: { key: 'interop.crs.gcj02' }, group: 'web' });
  options.push({ value: 'BD-09', label: { key: 'interop.crs.bd09' }, group: 'web' });
  return options;
}

export const ENCODINGS = ['', 'utf-8', 'gbk', 'gb18030'] as const;

/** Layers that need a region to import into (roads replace the region's roads as a whole). */
export const needsRegion = (layer: InteropLayer): boolean => layer === 'roads';

// ---------------------------------------------------------------------------------------
// The mapping table: layer field → file column

export interface MappingState {
  fields: readonly LayerField[];
  columns: readonly string[];
  /** field → column; a field without a column is absent. */
  mapping: Record<string, string>;
}

/** The table after a report: its columns, prefilled from the mapping the server used (or remembered). */
export function mappingFromReport(
  fields: readonly LayerField[],
  columns: readonly string[],
  used: Record<string, string>,
): MappingState {
  const names = new Set(fields.map((f) => f.name));
  const mapping: Record<string, string> = {};
  const taken = new Set<string>();
  for (const [field, column] of Object.entries(used)) {
    if (names.has(field) && columns.includes(column) && !taken.has(column)) {
      mapping[field] = column;
      taken.add(column);
    }
  }
  return { fields, columns, mapping };
}

/**
 * Choose the column for a field ('' = none). A column feeds one field only: choosing it for
 * this field takes it from the field that had it.
 */
export function chooseColumn(state: MappingState, field: string, column: string): MappingState {
  if (!state.fields.some((f) => f.name === field)) return state;
  if (column !== '' && !state.columns.includes(column)) return state;
  const mapping: Record<string, string> = {};
  for (const [f, c] of Object.entries(state.mapping)) if (f !== field && c !== column) mapping[f] = c;
  if (column !== '') mapping[field] = column;
  return { ...state, mapping };
}

/** Required fields that have no column. */
export function missingRequired(state: MappingState): LayerField[] {
  return state.fields.filter((f) => f.required && !(f.name in state.mapping));
}

export function sameMapping(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// The report

export interface CommitGate {
  allowed: boolean;
  /** Why not, as a message key (none when allowed or when there is simply no report yet). */
  reason?:
    | 'interop.commitBlocked'
    | 'interop.mapping.changed'
    | 'interop.stale'
    | 'interop.report.nothing'
    | 'interop.asIs.recheck'
    | 'interop.asIs.needReason';
}

/**
 * 导入 is allowed after a dry run of this very file and mapping that found no invalid feature
 * and something to write. Anything else would commit what the user has not seen.
 */
export function commitGate(
  report: ImportReport | null,
  mapping: Record<string, string>,
  stale: boolean,
  asIs?: { accept: boolean; reason: string },
): CommitGate {
  if (!report || report.committed) return { allowed: false };
  // Importing as it is: the dry run must have been one (it lists what will be kept), and a reason is required.
  if (asIs?.accept && !report.asIs) return { allowed: false, reason: 'interop.asIs.recheck' };
  if (asIs?.accept && !asIs.reason.trim()) return { allowed: false, reason: 'interop.asIs.needReason' };
  if (report.invalid.length > 0) return { allowed: false, reason: 'interop.commitBlocked' };
  if (stale) return { allowed: false, reason: 'interop.stale' };
  if (!sameMapping(report.mapping, mapping)) return { allowed: false, reason: 'interop.mapping.changed' };
  if (report.create + report.update === 0)
    return { allowed: false, reason: report.features === 0 ? 'interop.report.nothing' : undefined };
  return { allowed: true };
}

export interface ReasonGroup {
  reason: string;
  /** Feature numbers as a user counts them (1-based), with their code when the file has one. */
  rows: { index: number; code?: string }[];
}

/**
 * Invalid features grouped by reason, most frequent first, at most `limit` rows listed in
 * all, so a file with 5,000 bad rows does not bury the dialog; `hidden` counts the rest.
 */
export function groupInvalid(invalid: ImportReport['invalid'], limit = 50): { groups: ReasonGroup[]; hidden: number } {
  const byReason = new Map<string, ReasonGroup>();
  let shown = 0;
  for (const item of invalid) {
    if (shown >= limit) break;
    let group = byReason.get(item.reason);
    if (!group) byReason.set(item.reason, (group = { reason: item.reason, rows: [] }));
    group.rows.push({ index: item.index + 1, ...(item.code ? { code: item.code } : {}) });
    shown++;
  }
  const groups = [...byReason.values()].sort((a, b) => b.rows.length - a.rows.length);
  return { groups, hidden: invalid.length - shown };
}

/** The counts line of a report, in display order. */
export function reportCounts(report: ImportReport): { key: string; value: number; tone: 'plain' | 'good' | 'bad' }[] {
  return [
    { key: 'interop.report.features', value: report.features, tone: 'plain' },
    { key: 'interop.report.create', value: report.create, tone: 'good' },
    { key: 'interop.report.update', value: report.update, tone: 'good' },
    { key: 'interop.report.unchanged', value: report.unchanged, tone: 'plain' },
    { key: 'interop.report.invalid', value: report.invalid.length, tone: report.invalid.length ? 'bad' : 'plain' },
  ];
}

// ---------------------------------------------------------------------------------------
// Errors in plain words

export interface ErrorText {
  key: string;
  params: Record<string, string | number>;
}

/** An API failure as a message key: the status says what kind of problem, the server's message says which. */
export function errorText(status: number, message: string): ErrorText {
  if (status === 0) return { key: 'interop.error.network', params: {} };
  if ([400, 401, 403, 409, 413, 422].includes(status)) return { key: `interop.error.${status}`, params: { message } };
  return { key: 'interop.error.other', params: { status, message } };
}

/** "1.2 MB" for the chosen file. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
