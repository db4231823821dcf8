/** What the validation bench's parent (child.ts) and its workers (worker.ts) say to each other. */
import type { FoundProblem } from './score.ts';

export type WorkerMethod = 'engine' | 'first-check' | 'naive-overlaps' | 'naive-gaps' | 'preview';

export interface WorkerJob {
  method: WorkerMethod;
  target: { driver: 'embedded'; dataDir: string } | { driver: 'server'; url: string; schema: string };
  /** Timed runs after the first (cold) one. */
  runs: number;
  timeoutMs: number;
}

export type WorkerMessage =
  | { ready: true }
  | { run: 'cold' | 'restart' | 'warm' | 'edit'; ms: number; note?: string }
  | { first: { ms: number; loadMs: number; matchMs: number; exactMs: number; saveMs: number; overlaid: number } }
  | { found: FoundProblem[] }
  | { preview: { runs: number; withProblems: number; medianServerMs: number } };

export const APPLICATION_NAME = 'wangge-bench-worker';
