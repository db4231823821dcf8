/**
 * The client build's stamp: one hash of every file `vite build` reads (client/, common/, the Vite
 * and TypeScript configs, the lockfile). The build writes it into dist/client (vite.config.ts);
 * `npm start` compares it with the sources and rebuilds only when they differ: the build was
 * 5–12 s of every start on the 2-core box, for a client that had not changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** What the client build reads, relative to the repository root. */
export const STAMP_INPUTS = ['client', 'common', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'] as const;
/** Beside the build output it describes: emptied with it, so a half-written build is never "up to date". */
export const STAMP_FILE = join('dist', 'client', '.build-stamp');

export interface FileHash {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  hash: string;
}

/** Pure: the stamp of a set of files, whatever order they were listed in. */
export function stampOf(files: readonly FileHash[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
    hash.update(`${file.path}\0${file.hash}\n`);
  return hash.digest('hex');
}

/** Pure: a build is needed when there is no stamp or the sources no longer match it. */
export function clientBuildNeeded(stamp: string | undefined, files: readonly FileHash[]): boolean {
  return stamp?.trim() !== stampOf(files);
}

/** Hash every input file under `root` (a missing input counts as absent, not as an error). */
export function hashInputs(root: string, inputs: readonly string[] = STAMP_INPUTS): FileHash[] {
  const files: FileHash[] = [];
  const visit = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) files.push(hashFile(root, child));
    }
  };
  for (const input of inputs) {
    const path = join(root, input);
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) visit(path);
    else files.push(hashFile(root, path));
  }
  return files;
}

function hashFile(root: string, path: string): FileHash {
  return {
    path: relative(root, path).split(sep).join('/'),
    hash: createHash('sha256').update(readFileSync(path)).digest('hex'),
  };
}

export function readStamp(root: string): string | undefined {
  const file = join(root, STAMP_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export function writeStamp(root: string, stamp: string): void {
  writeFileSync(join(root, STAMP_FILE), `${stamp}\n`);
}
