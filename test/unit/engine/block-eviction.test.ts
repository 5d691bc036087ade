// The worker's pin / lease / read-ahead eviction rule (core/blockstore/block-store-state), driven by
// testdata/block-eviction.txt: each case is command lines, a "----" line, and the exact expected
// output, ended by a blank line; cases build on one state until `store` makes a new one. Commands:
//   store quota=Q high=H low=L grace=MS hold=MS     a fresh one-directory store (fake clock)
//   rule pins=N leases=A,B|- unread=MS|- grace=MS hold=MS   evictionClass of one block's use
//   put ID LEN t=MS [prefetch]      reserve + commit; prints "placed evicted=[...]" or "bypass"
//   placeable LEN t=MS            whether a block of LEN would be placed now
//   lease ID LEASE t=MS | end LEASE | pin ID | unpin ID | access ID t=MS
//   class ID t=MS                   the block's eviction class now
//   blocks                          stored block ids (sorted) and bytes used
// Run with FLUID_REWRITE=1 to regenerate the expected outputs after an intended change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlockStoreState, evictionClass, type FillPurpose } from '../../../src/core/blockstore/block-store-state.js';
import { LruPolicy } from '../../../src/core/blockstore/eviction-policy.js';

function repoDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
}

const file = join(repoDir(), 'test/unit/engine/testdata/block-eviction.txt');

function kv(words: readonly string[]): Map<string, string> {
  return new Map(words.filter((w) => w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] as [string, string]));
}

function num(m: Map<string, string>, k: string): number {
  const v = m.get(k);
  if (v === undefined) throw new Error(`missing ${k}=`);
  return Number(v);
}

class Runner {
  private s: BlockStoreState | undefined;

  private state(): BlockStoreState {
    if (!this.s) throw new Error('no store: start the case with `store ...`');
    return this.s;
  }

  run(line: string): string {
    const [cmd = '', ...rest] = line.split(' ');
    const a = kv(rest);
    const pos = rest.filter((w) => !w.includes('='));
    switch (cmd) {
      case 'store':
        this.s = new BlockStoreState(
          [{ medium: 'MEM', path: '/m', quota: num(a, 'quota'), high: num(a, 'high'), low: num(a, 'low') }],
          () => new LruPolicy(), { leaseGraceMs: num(a, 'grace'), unreadHoldMs: num(a, 'hold') },
        );
        return 'ok';
      case 'rule': {
        const leases = a.get('leases') ?? '-';
        const unread = a.get('unread') ?? '-';
        return evictionClass(
          { pins: num(a, 'pins'), leaseAgesMs: leases === '-' ? [] : leases.split(',').map(Number), unreadAgeMs: unread === '-' ? undefined : Number(unread) },
          { leaseGraceMs: num(a, 'grace'), unreadHoldMs: num(a, 'hold') },
        );
      }
      case 'put': {
        const [id = '', len = '0', purpose = 'read'] = pos;
        const s = this.state();
        const now = num(a, 't');
        const p = s.reserve(Number(len), now, purpose as FillPurpose);
        if (p.kind === 'bypass') return `bypass: ${p.reason}`;
        s.commit(id, p.dir, Number(len), now, purpose as FillPurpose);
        return `placed evicted=[${p.evicted.map((b) => b.blockId).join(',')}]`;
      }
      case 'placeable': return String(this.state().placeable(Number(pos[0]), num(a, 't')));
      case 'lease': this.state().lease(pos[0] ?? '', pos[1] ?? '', num(a, 't')); return 'ok';
      case 'end': return `ended ${this.state().endLease(pos[0] ?? '') ?? 'nothing'}`;
      case 'pin': this.state().pin(pos[0] ?? ''); return 'ok';
      case 'unpin': this.state().unpin(pos[0] ?? ''); return 'ok';
      case 'access': this.state().access(pos[0] ?? '', num(a, 't')); return 'ok';
      case 'class': return this.state().classOf(pos[0] ?? '', num(a, 't')) ?? 'not stored';
      case 'blocks': {
        const s = this.state();
        return `[${s.all().map((b) => b.blockId).sort().join(',')}] used=${s.dirUsage(0).used}`;
      }
      default: return `unknown command ${cmd}`;
    }
  }
}

test('GIVEN the scripted pins, leases and read-ahead fills WHEN blocks are placed THEN eviction follows the recorded rule', () => {
  const text = readFileSync(file, 'utf8');
  const cases = text.split(/\n\n+/).filter((c) => c.trim() !== '');
  const r = new Runner();
  const rewritten: string[] = [];
  for (const c of cases) {
    const [cmds = '', expected = ''] = c.split(/\n----(?:\n|$)/);
    const lines = cmds.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const got = lines.map((l) => {
      try { return r.run(l); } catch (err) { return `error: ${(err as Error).message}`; }
    }).join('\n');
    rewritten.push(`${cmds}\n----\n${got}`);
    if (!process.env.FLUID_REWRITE) assert.equal(got, expected.trimEnd(), `case:\n${cmds}`);
  }
  if (process.env.FLUID_REWRITE) writeFileSync(file, `${rewritten.join('\n\n')}\n`);
});
