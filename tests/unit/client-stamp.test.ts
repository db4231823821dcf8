/**
 * `npm start` builds the client only when its sources changed (tools/client-stamp.ts): the stamp
 * the last build wrote against the hashes of the files the build reads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientBuildNeeded, hashInputs, stampOf, type FileHash } from '../../tools/client-stamp.ts';

const files: FileHash[] = [
  { path: 'client/main.ts', hash: 'a1' },
  { path: 'common/rules/household-band.ts', hash: 'b2' },
  { path: 'package-lock.json', hash: 'c3' },
];

describe('client build stamp', () => {
  it('skips the build when the stamp matches the sources, as the build wrote it', () => {
    const stamp = `${stampOf(files)}\n`;
    expect(clientBuildNeeded(stamp, files)).toBe(false);
    // The same files listed in another order are the same sources.
    expect(clientBuildNeeded(stamp, [...files].reverse())).toBe(false);
  });

  it('builds when there is no stamp (no build yet, or dist/ removed)', () => {
    expect(clientBuildNeeded(undefined, files)).toBe(true);
    expect(clientBuildNeeded('', files)).toBe(true);
  });

  it('builds when a file changed, was added, removed or renamed', () => {
    const stamp = stampOf(files);
    const changed = files.map((f) => (f.path === 'client/main.ts' ? { ...f, hash: 'a9' } : f));
    const added = [...files, { path: 'client/new-panel.ts', hash: 'd4' }];
    const removed = files.slice(1);
    const renamed = files.map((f) => (f.path === 'client/main.ts' ? { ...f, path: 'client/app.ts' } : f));
    for (const sources of [changed, added, removed, renamed]) expect(clientBuildNeeded(stamp, sources)).toBe(true);
  });

  describe('over real files', () => {
    const root = mkdtempSync(join(tmpdir(), 'wangge-stamp-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'client', 'map'), { recursive: true });
    writeFileSync(join(root, 'client', 'map', 'layers.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'vite.config.ts'), 'export default {};\n');

    it('hashes the inputs by path, and only they change the stamp', () => {
      const before = hashInputs(root);
      expect(before.map((f) => f.path).sort()).toEqual(['client/map/layers.ts', 'vite.config.ts']);
      const stamp = stampOf(before);

      writeFileSync(join(root, 'README.md'), 'not read by the build\n');
      mkdirSync(join(root, 'server'));
      writeFileSync(join(root, 'server', 'main.ts'), 'server code\n');
      expect(clientBuildNeeded(stamp, hashInputs(root))).toBe(false);

      writeFileSync(join(root, 'client', 'map', 'layers.ts'), 'export const a = 2;\n');
      expect(clientBuildNeeded(stamp, hashInputs(root))).toBe(true);
    });
  });
});
