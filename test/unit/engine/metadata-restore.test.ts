// Restoring a master from a DataBackup file: a backup taken from one state machine, checked against
// the new master's mounts and applied as one ns.restore entry, gives the same namespace; every
// mismatch is refused with a message saying what is wrong, and nothing is applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MasterStateMachine } from '../../../src/core/master/master-state-machine.js';
import { MetadataRestoreError, planMetadataRestore } from '../../../src/core/master/metadata-restore.js';

const MOUNTS = [{ name: 'hbase', ufs: 'https://example.org/hbase/' }];

function source(): MasterStateMachine {
  const sm = new MasterStateMachine();
  sm.apply({ type: 'mounts.set', mounts: MOUNTS });
  sm.apply({ type: 'ns.listed', mount: 'hbase', path: '/', atMs: 5, children: [{ name: 'a.bin', kind: 'file', size: 100, mtimeMs: 1, fingerprint: 'e1' }, { name: 'd', kind: 'directory', size: 0, mtimeMs: 1, fingerprint: '' }] });
  sm.apply({ type: 'ns.listed', mount: 'hbase', path: '/d', atMs: 5, children: [{ name: 'b.bin', kind: 'file', size: 7, mtimeMs: 2, fingerprint: 'e2' }] });
  sm.apply({ type: 'worker.register', workerId: 'w0', instanceId: 'i0', address: '10.0.0.1:1', host: '10.0.0.1', uid: 0, tierPaths: ['/t'], tiers: [], blocks: [], atMs: 5, leaseMs: 1000 });
  return sm;
}

function backup(sm: MasterStateMachine): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ format: 'fluid-ts.master-metadata', version: 1, takenAtMs: 9, files: 2, directories: 2, workers: 1, snapshot: sm.snapshot() })) as Record<string, unknown>;
}

test('GIVEN a backup of a listed namespace WHEN a fresh master with the same mounts applies the restore entry THEN it answers the same tree and totals without listing, and knows no worker', () => {
  const from = source();
  const plan = planMetadataRestore(backup(from), MOUNTS);
  assert.equal(plan.files, 2);
  const to = new MasterStateMachine();
  to.apply({ type: 'mounts.set', mounts: MOUNTS });
  to.apply(plan.entry);
  assert.deepEqual(to.listStatus('/hbase/d'), from.listStatus('/hbase/d'));
  assert.deepEqual(to.getStatus('/hbase/a.bin'), from.getStatus('/hbase/a.bin'));
  assert.equal(to.stats().ufsTotalBytes, 107);
  assert.equal(to.stats().fileCount, 2);
  assert.equal(to.workers().length, 0);
  assert.equal(to.unlistedDirectories().length, 0);
});

const bad: { name: string; change: (b: Record<string, unknown>) => unknown; mounts?: typeof MOUNTS; message: RegExp }[] = [
  { name: 'not a backup', change: () => ({ hello: 1 }), message: /not a fluid-ts metadata backup/ },
  { name: 'a newer version', change: (b) => ({ ...b, version: 2 }), message: /unsupported backup version 2/ },
  { name: 'no snapshot', change: (b) => ({ ...b, snapshot: null }), message: /no master snapshot/ },
  { name: 'another UFS behind the mount', change: (b) => b, mounts: [{ name: 'hbase', ufs: 'https://other.org/x/' }], message: /mount "hbase" was backed up from https:\/\/example.org\/hbase\/, but the dataset mounts https:\/\/other.org\/x\// },
  { name: 'a mount the backup lacks', change: (b) => b, mounts: [...MOUNTS, { name: 'extra', ufs: 'local:///x' }], message: /the backup has no mount "extra"/ },
  { name: 'a mount the dataset lacks', change: (b) => b, mounts: [], message: /holds mount "hbase" that the dataset does not mount/ },
  { name: 'a broken node', change: (b) => { const s = b['snapshot'] as { namespace: Record<string, unknown[]> }; s.namespace['hbase'] = [['/', { kind: 'pipe' }]]; return b; }, message: /mount "hbase" path \/: not a namespace node/ },
];

for (const c of bad) {
  test(`GIVEN ${c.name} WHEN planning the restore THEN it is refused with a message saying so`, () => {
    assert.throws(() => planMetadataRestore(c.change(backup(source())), c.mounts ?? MOUNTS), (e: unknown) => e instanceof MetadataRestoreError && c.message.test(e.message));
  });
}
