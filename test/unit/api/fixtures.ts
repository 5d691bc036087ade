// Loads the seed fixtures (test/fixtures/seeds) as plain objects with their kind definitions.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { allKinds } from '../../../src/api/kinds/index.js';
import type { KindDefinition } from '../../../src/api/kind.js';

/** The repository root: the nearest ancestor of this compiled file holding package.json. */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

export const repoDir = findRepoRoot();
export const fixturesDir = join(repoDir, 'test/fixtures/seeds');

export interface Fixture {
  readonly file: string;
  readonly def: KindDefinition;
  readonly object: Record<string, unknown>;
}

export function kindOf(kind: string): KindDefinition {
  const def = allKinds.find((k) => k.kind === kind);
  if (!def) throw new Error(`no kind ${kind}`);
  return def;
}

export function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const file of readdirSync(fixturesDir).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(fixturesDir, file), 'utf8'))) {
      const object = doc.toJS() as Record<string, unknown>;
      out.push({ file, def: kindOf(String(object['kind'])), object });
    }
  }
  return out;
}

export function fixture(file: string, kind: string): Record<string, unknown> {
  const f = loadFixtures().find((x) => x.file === file && x.def.kind === kind);
  if (!f) throw new Error(`no ${kind} in ${file}`);
  return structuredClone(f.object);
}

/** Sets a value at a path of keys / indices, creating nothing: the path must exist up to the parent. */
export function setAt(obj: unknown, path: readonly (string | number)[], value: unknown): void {
  const parent = walk(obj, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last === undefined) throw new Error('empty path');
  (parent as Record<string | number, unknown>)[last] = value;
}

export function deleteAt(obj: unknown, path: readonly (string | number)[]): void {
  const parent = walk(obj, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last === undefined) throw new Error('empty path');
  delete (parent as Record<string | number, unknown>)[last];
}

export function getAt(obj: unknown, path: readonly (string | number)[]): unknown {
  return walk(obj, path);
}

function walk(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null) throw new Error(`no ${String(k)} in path ${path.join('.')}`);
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}
