/**
 * Matching a validation report against a generated coverage's manifest
 * (data/generator/coverage): every injected error found as an error of its kind with its
 * grids and area (±1 % or ±0.01 m²), every injected sliver found as a sliver of its kind,
 * and nothing else among the tiling problems.
 */
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import type { CoverageManifest, InjectedProblem } from '../../data/generator/coverage/index.ts';

export const TILING_TYPES = ['gap', 'overlap', 'sliver', 'outside', 'invalid', 'multipart'];

export interface ManifestMatch {
  found: number;
  /** Injected but not reported at all (as anything with its grids). */
  missing: InjectedProblem[];
  /** An injected error reported as a sliver. */
  demoted: InjectedProblem[];
  /** An injected sliver reported as an error. */
  promoted: InjectedProblem[];
  /** Found with the right kind, but the area is off. */
  wrongArea: { injected: InjectedProblem; areaM2: number | null }[];
  /** Tiling problems the manifest does not hold. */
  unexpected: { type: string; grids: string[]; areaM2: number | null; widthM: unknown; community: string }[];
}

const key = (community: string, grids: readonly string[]) => `${community}|${[...grids].sort().join(',')}`;

export function areaClose(got: number | null, want: number): boolean {
  return got !== null && Math.abs(got - want) <= Math.max(0.01 * want, 0.01);
}

export function matchManifest(problems: readonly ProblemFeature[], manifest: CoverageManifest): ManifestMatch {
  const tiling = problems.filter((p) => TILING_TYPES.includes(p.properties.type));
  const byKey = new Map<string, ProblemFeature[]>();
  for (const p of tiling) {
    const k = key(p.properties.community_code, p.properties.grids);
    byKey.set(k, [...(byKey.get(k) ?? []), p]);
  }
  const used = new Set<ProblemFeature>();
  const out: ManifestMatch = { found: 0, missing: [], demoted: [], promoted: [], wrongArea: [], unexpected: [] };
  const take = (injected: InjectedProblem, asSliver: boolean) => {
    const candidates = (byKey.get(key(injected.community, injected.grids)) ?? []).filter((p) => !used.has(p));
    const exact = candidates.find((p) =>
      asSliver
        ? p.properties.type === 'sliver' && p.properties.detail.of === injected.kind
        : p.properties.type === injected.kind,
    );
    const other = candidates.find((p) => p.properties.type === 'sliver' || p.properties.type === injected.kind);
    const hit = exact ?? other;
    if (!hit) return out.missing.push(injected);
    used.add(hit);
    if (!exact) return (asSliver ? out.promoted : out.demoted).push(injected);
    if (!areaClose(hit.properties.areaM2, injected.areaM2))
      return out.wrongArea.push({ injected, areaM2: hit.properties.areaM2 });
    out.found++;
  };
  for (const injected of manifest.errors) take(injected, false);
  for (const injected of manifest.slivers) take(injected, true);
  for (const p of tiling) {
    if (used.has(p)) continue;
    out.unexpected.push({
      type: p.properties.type,
      grids: p.properties.grids,
      areaM2: p.properties.areaM2,
      widthM: p.properties.detail.widthM,
      community: p.properties.community_code,
    });
  }
  return out;
}
