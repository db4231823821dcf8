/** The pure part of the 属性 form: its state, and the PATCH body holding only what changed. */
import type { GridKind } from '../../common/domain.ts';
import type { WorkerAssignment } from '../../common/contracts/drafts.ts';
import type { AttributesPatch } from '../../common/contracts/editing.ts';

/** A worker row of the form: as a draft assigns them. */
export type WorkerRow = WorkerAssignment;

export interface AttributesState {
  name: string;
  kind: GridKind;
  /** Households typed by hand (ignored while `autoHouseholds`). */
  households: number | null;
  /** 按楼栋自动计算: the households follow the buildings. */
  autoHouseholds: boolean;
  /** Codes of the grid-level party organisations (branches, groups). */
  party_orgs: string[];
  workers: WorkerRow[];
}

/** PATCH /api/drafts/:id/grids/:code without the comment (declared in common/contracts/editing.ts). */
export type { AttributesPatch };

/** Trimmed rows; rows left wholly empty are dropped. */
export function cleanWorkers(rows: readonly WorkerRow[]): WorkerRow[] {
  return rows
    .map((w) => ({ name: w.name.trim(), phone: w.phone.trim(), role: w.role, phone_public: w.phone_public }))
    .filter((w) => w.name !== '' || w.phone !== '');
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const sameWorkers = (a: readonly WorkerRow[], b: readonly WorkerRow[]) =>
  a.length === b.length &&
  a.every(
    (w, i) =>
      JSON.stringify([w.name, w.phone, w.role, w.phone_public]) ===
      JSON.stringify([b[i]!.name, b[i]!.phone, b[i]!.role, b[i]!.phone_public]),
  );

/** The fields of `after` that differ from `before`, as the server takes them. */
export function attributesPatch(before: AttributesState, after: AttributesState): AttributesPatch {
  const patch: AttributesPatch = {};
  const name = after.name.trim();
  if (name !== before.name.trim()) patch.name = name;
  if (after.kind !== before.kind) patch.kind = after.kind;
  if (after.autoHouseholds) {
    if (!before.autoHouseholds) patch.households = null;
  } else if (after.households !== null && (before.autoHouseholds || after.households !== before.households)) {
    patch.households = after.households;
  }
  if (!sameSet(after.party_orgs, before.party_orgs)) patch.party_orgs = [...after.party_orgs];
  const workers = cleanWorkers(after.workers);
  if (!sameWorkers(workers, cleanWorkers(before.workers))) patch.workers = workers;
  return patch;
}

/** Households typed in the form: a whole number ≥ 0, else null. */
export function parseHouseholds(text: string): number | null {
  const value = text.trim();
  return /^[0-9]{1,6}$/.test(value) ? Number(value) : null;
}

/** A phone the public API masked (138****5678): it has to be typed again before it can be saved. */
export const isMaskedPhone = (phone: string) => phone.includes('*');
