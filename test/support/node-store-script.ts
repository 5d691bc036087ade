// Runs the NodeStore port's data-driven cases (test/unit/metastore/testdata/node-store.txt)
// against any NodeStore implementation. Each case: command lines, a "----" line, the exact expected
// output, ended by a blank line; one store per file, so cases build on each other. Commands:
//   set <path> file <size> <fingerprint> | set <path> dir [child,child,...]   (no list = unlisted)
//   get <path> | del <path> | delprefix <prefix> | children <prefix> | size | entries | clear
//   summary                               files, bytes, directories, unlisted directories
//   dirs                                  the directory paths forEachDirectory visits, sorted
//   replace <path>=file|dir ...           replaceAll with the given nodes
//   batch <command> ; <command> ...       runs the commands inside one batch()
//   mutate-entries                        changes the nodes entries() handed out: no effect must show
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeStore, NsNode } from '../../src/core/master/node-store.js';

function repoDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
}

export const nodeStoreScript = join(repoDir(), 'test/unit/metastore/testdata/node-store.txt');

function show(n: NsNode | undefined): string {
  if (!n) return 'none';
  const base = n.kind === 'file' ? `file size=${n.size} fp=${n.fingerprint}` : `dir children=${n.children === null ? 'unlisted' : `[${n.children.join(',')}]`}`;
  return `${base} mtime=${n.mtimeMs} listedAt=${n.listedAtMs}`;
}

function parseNode(words: readonly string[]): NsNode {
  const [kind = '', a, b] = words;
  if (kind === 'file') return { kind: 'file', size: Number(a ?? 0), mtimeMs: 7, fingerprint: b ?? '', children: null, listedAtMs: 0 };
  if (kind === 'dir') return { kind: 'directory', size: 0, mtimeMs: 3, fingerprint: '', children: a === undefined ? null : a.split(',').filter((x) => x !== ''), listedAtMs: a === undefined ? 0 : 100 };
  throw new Error(`bad node kind "${kind}"`);
}

export function runNodeStoreCommand(store: NodeStore, line: string): string {
  const [cmd = '', ...rest] = line.trim().split(/\s+/);
  const arg = rest[0] ?? '';
  switch (cmd) {
    case 'set': store.set(arg, parseNode(rest.slice(1))); return 'ok';
    case 'get': return show(store.get(arg));
    case 'del': store.delete(arg); return 'ok';
    case 'delprefix': store.deletePrefix(arg); return 'ok';
    case 'children': return `[${store.childNamesUnder(arg).sort().join(',')}]`;
    case 'size': return String(store.size());
    case 'summary': {
      const m = store.summary();
      return `files=${m.files} bytes=${m.fileBytes} dirs=${m.directories} unlisted=${m.unlistedDirectories}`;
    }
    case 'dirs': {
      const out: string[] = [];
      store.forEachDirectory((p, n) => { out.push(`${p}${n.children === null ? '?' : ''}`); });
      return out.sort().join(' ') || '(none)';
    }
    case 'entries': return store.entries().map(([p, n]) => `${p}: ${show(n)}`).join('\n') || '(empty)';
    case 'clear': store.clear(); return 'ok';
    case 'replace': store.replaceAll(rest.map((r) => { const [p = '', k = ''] = r.split('='); return [p, parseNode([k])] as const; })); return 'ok';
    case 'batch': return store.batch(() => line.trim().slice('batch'.length).split(';').map((c) => runNodeStoreCommand(store, c)).join(' | '));
    case 'mutate-entries':
      for (const [, e] of store.entries()) { e.size = 999; e.children = ['zzz']; }
      return 'ok';
    default: return `unknown command ${cmd}`;
  }
}

/** Runs the script; returns [case commands, expected, got] per case. FLUID_REWRITE=1 rewrites the file from `store`. */
export function runNodeStoreScript(store: NodeStore): { cmds: string; expected: string; got: string }[] {
  const text = readFileSync(nodeStoreScript, 'utf8');
  const out: { cmds: string; expected: string; got: string }[] = [];
  for (const c of text.split(/\n\n+/).filter((x) => x.trim() !== '')) {
    const [cmds = '', expected = ''] = c.split(/\n----(?:\n|$)/);
    const lines = cmds.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const got = lines.map((l) => { try { return runNodeStoreCommand(store, l); } catch (err) { return `error: ${(err as Error).message}`; } }).join('\n');
    out.push({ cmds, expected: expected.trimEnd(), got });
  }
  if (process.env.FLUID_REWRITE) writeFileSync(nodeStoreScript, `${out.map((o) => `${o.cmds}\n----\n${o.got}`).join('\n\n')}\n`);
  return out;
}
