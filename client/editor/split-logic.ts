/** What the editor warns about before a split is saved (pure): parts with no households or no party organisation. */
import type { SplitPreview } from '../../common/contracts/editing.ts';

export interface SplitWarning {
  /** 1-based, as the running panel numbers the parts. */
  part: number;
  kind: 'zero_households' | 'no_party_org';
}

export function splitWarnings(preview: Pick<SplitPreview, 'parts'>): SplitWarning[] {
  const out: SplitWarning[] = [];
  preview.parts.forEach((p, i) => {
    if (p.households === 0) out.push({ part: i + 1, kind: 'zero_households' });
    if (p.party_orgs.length === 0) out.push({ part: i + 1, kind: 'no_party_org' });
  });
  return out;
}

/** True when a party organisation picked in the warning would fill a gap (some part has none). */
export function needsPartyOrg(warnings: readonly SplitWarning[]): boolean {
  return warnings.some((w) => w.kind === 'no_party_org');
}
