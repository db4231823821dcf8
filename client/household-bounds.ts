/**
 * The household bounds the client colours by, as the API serves them (GET
 * /api/settings/household-bounds; never a constant here): loaded on sign-in, dropped on
 * sign-out. The band itself is common/rules/household-band.ts, the same function the server uses.
 */
import {
  boundsFor,
  settingOf,
  type HouseholdBand,
  type HouseholdBounds,
  type HouseholdBoundsSetting,
} from '../common/rules/household-band.ts';
import { api } from './api.ts';
import { t } from './i18n/index.ts';

let setting: HouseholdBoundsSetting | null = null;
let loading: Promise<HouseholdBoundsSetting> | null = null;
const listeners = new Set<() => void>();

export const householdBounds = {
  /** Fetch (again) from the API; listeners hear of it. */
  load(): Promise<HouseholdBoundsSetting> {
    const request = api.householdBounds().then((list) => {
      if (loading === request) {
        setting = settingOf(list);
        for (const listener of listeners) listener();
      }
      return settingOf(list);
    });
    loading = request;
    request.catch(() => loading === request && (loading = null));
    return request;
  },
  clear(): void {
    setting = null;
    loading = null;
    for (const listener of listeners) listener();
  },
  /** The bounds of the district of a region or grid code, if loaded. */
  of(code: string | null | undefined): HouseholdBounds | null {
    return setting && code ? boundsFor(setting, code) : null;
  },
  /** The same, loading first if needed. */
  async get(code: string): Promise<HouseholdBounds> {
    return boundsFor(setting ?? (await (loading ?? this.load())), code);
  },
  onChange(listener: () => void): void {
    listeners.add(listener);
  },
};

/** A band's label with the bounds it stands for ("300–500 户"); "…" while they are not known. */
export function bandLabel(band: HouseholdBand, bounds: HouseholdBounds | null): string {
  return t(`legend.band.${band}`, { min: bounds?.min ?? '…', max: bounds?.max ?? '…' });
}
