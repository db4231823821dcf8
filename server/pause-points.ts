/**
 * Points inside a write's transaction, after it wrote some rows and before COMMIT, where a fault
 * test may stop the process (tests/faults/kill.test.ts kills it there). Production code calls
 * `pausePoint`, which does nothing unless a hook is set; only the composition root sets one
 * (server/main.ts, with WANGGE_TEST_HOOKS=1: server/testing/pause-hooks.ts).
 */

/** The points an operation can pause at. */
export type PausePoint = 'split' | 'merge' | 'import' | 'publish';

export type PauseHook = (name: PausePoint) => Promise<void>;

let hook: PauseHook | undefined;

export function setPauseHook(next: PauseHook | undefined): void {
  hook = next;
}

export async function pausePoint(name: PausePoint): Promise<void> {
  if (hook) await hook(name);
}
