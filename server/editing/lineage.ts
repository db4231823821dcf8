/**
 * Which published grids a draft's new grid comes from (pure): a split's parts come from the
 * grid split, a merge's result from every grid merged, through any chain of edits in the
 * draft. Publishing copies the party organisations and grid workers of those ancestors to
 * the new grid, so a split does not leave its parts without a branch or a worker.
 */
export interface LineageStep {
  operation: string;
  /** Codes the operation took away (before present, after absent). */
  from: string[];
  /** Codes it produced (before absent, after present). */
  to: string[];
}

/** New code → the published codes it descends from (only codes with ancestors). */
export function ancestry(steps: readonly LineageStep[]): Map<string, Set<string>> {
  const ancestors = new Map<string, Set<string>>();
  const of = (code: string) => ancestors.get(code) ?? new Set([code]);
  for (const step of steps) {
    if (step.operation !== 'split' && step.operation !== 'merge') continue;
    const sources = new Set<string>();
    for (const code of step.from) for (const a of of(code)) sources.add(a);
    for (const code of step.to) ancestors.set(code, new Set(sources));
  }
  return ancestors;
}
