// Writes the conformance fixture into a local directory and rewrites files with a new mtime.
import { mkdirSync, utimesSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixtureFiles, type ConformanceStorage } from './conformance.js';

export function writeFixtureDir(root: string): void {
  for (const [rel, content] of fixtureFiles()) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

/** Rewrites in place and moves the mtime 10 s forward, so second-precision validators change too. */
export function dirStorage(root: string): ConformanceStorage {
  return {
    async rewrite(rel, content) {
      const p = join(root, rel);
      const old = statSync(p).mtimeMs;
      writeFileSync(p, content);
      const t = new Date(old + 10_000);
      utimesSync(p, t, t);
    },
  };
}
