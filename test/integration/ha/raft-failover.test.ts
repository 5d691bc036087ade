// Three real masters with the embedded Raft journal. SIGKILL the leader while a reader and a
// writer run: reads never fail (at most a pause), every acknowledged mutation survives. SIGKILL
// two of three: the survivor refuses to serve (NotLeader) instead of answering stale, and the
// group recovers once one master returns. Restarting all three gives back the identical state.
import { sharedToken } from '../../support/engine-token.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { masterClient } from '../../support/engine-cluster.js';
import { callRpc } from '../../../src/adapters/rpc/rpc-client.js';
import { RpcRemoteError } from '../../../src/adapters/rpc/rpc-errors.js';
import { mount } from '../../support/engine-cluster.js';
import { runFluid, tempDir, waitFor } from '../../support/proc.js';
import { startHaCluster } from './ha-cluster.js';

function fixture(t: { after(fn: () => void): void }): string {
  const root = tempDir(t, 'fluid-ha-src-');
  mkdirSync(join(root, 'a/b'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(join(root, i % 2 ? 'a' : 'a/b', `f${i}.txt`), `file ${i}\n`.repeat(i + 1));
  return root;
}

const credential = sharedToken().credential;

function registerFake(mc: ReturnType<typeof masterClient>, n: number): Promise<unknown> {
  return mc.call('registerWorker', {
    workerId: `fake-${n}`, instanceId: `fake-${n}`, uid: 0, tierPaths: [], address: `127.0.0.1:${10_000 + n}`, host: '127.0.0.1',
    tiers: [{ medium: 'MEM', capacityBytes: 1000, usedBytes: 0 }], blocks: [],
  } as never);
}

test('GIVEN three masters under load WHEN the leader is SIGKILLed THEN reads never fail, acknowledged mutations survive, and a new leader serves within seconds', async (t) => {
  const root = fixture(t);
  const cluster = await startHaCluster(t, { size: 3, mounts: [mount('d', `local://${root}`)] });
  const first = await cluster.leader();
  const mc = masterClient(cluster.addresses, { attemptTimeoutMs: 3000 });
  await waitFor('metadata loaded', async () => (await mc.stats()).metadataComplete, 30_000);
  const expected = (await mc.listStatus('/d/a')).entries.map((e) => e.path).sort();

  let stop = false;
  const readErrors: string[] = [];
  let reads = 0;
  let lastReadAt = Date.now();
  let killedAt = 0;
  let firstReadAfterKill = 0;
  const reader = (async () => {
    while (!stop) {
      try {
        const got = (await mc.listStatus('/d/a')).entries.map((e) => e.path).sort();
        assert.deepEqual(got, expected);
        reads++;
        lastReadAt = Date.now();
        if (killedAt > 0 && firstReadAfterKill === 0) firstReadAfterKill = lastReadAt;
      } catch (err) {
        readErrors.push(err instanceof Error ? err.message : String(err));
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const acked: number[] = [];
  const writer = (async () => {
    for (let n = 0; !stop; n++) {
      try {
        await registerFake(mc, n);
        acked.push(n);
      } catch {
        // Not acknowledged: may or may not have been applied; only acked ones are checked.
      }
    }
  })();

  await waitFor('some reads and writes', () => reads > 20 && acked.length > 20, 30_000);
  killedAt = Date.now();
  await cluster.byAddress(first.address).kill();
  await waitFor('reads after the kill', () => firstReadAfterKill > 0 && acked.length > 0, 30_000);
  const ackedBeforeKill = acked.length;
  await waitFor('writes after the kill', () => acked.length > ackedBeforeKill + 20, 30_000);
  stop = true;
  await Promise.all([reader, writer]);
  const gapMs = firstReadAfterKill - killedAt;
  t.diagnostic(`failover: first read ${gapMs} ms after SIGKILL of ${first.id}; ${reads} reads, ${acked.length} acknowledged writes`);
  assert.deepEqual(readErrors, [], 'reads never fail during failover');

  const second = await cluster.leader();
  assert.notEqual(second.address, first.address);
  const workers = new Set((await mc.workers()).workers.map((w) => w.id));
  const lost = acked.filter((n) => !workers.has(`fake-${n}`));
  assert.deepEqual(lost, [], 'no acknowledged mutation is lost');

  // The killed master rejoins as a follower and catches up; restart all three: same state.
  cluster.byAddress(first.address).start();
  const before = { workers: [...workers].sort(), listing: (await mc.listStatus('/d/a/b')).entries };
  await waitFor('the restarted master caught up', async () => {
    const info = await callRpc<{ leader: { address: string } | null }>(first.address, 'masterInfo', {}, { timeoutMs: 1000, credential });
    return info.leader !== null;
  }, 30_000);
  // Let the rejoined follower receive everything before killing all three.
  await new Promise((r) => setTimeout(r, 1000));
  for (const m of cluster.masters) await m.kill();
  for (const m of cluster.masters) m.start();
  await cluster.leader();
  const after = { workers: (await mc.workers()).workers.map((w) => w.id).sort(), listing: (await mc.listStatus('/d/a/b')).entries };
  assert.deepEqual(after, before);
});

test('GIVEN three masters WHEN two are SIGKILLed THEN the survivor refuses reads and writes with NotLeader, and serves again once one returns', async (t) => {
  const root = fixture(t);
  const cluster = await startHaCluster(t, { size: 3, mounts: [mount('d', `local://${root}`)] });
  const leader = await cluster.leader();
  const mc = masterClient(cluster.addresses, { attemptTimeoutMs: 3000 });
  await waitFor('metadata loaded', async () => (await mc.stats()).metadataComplete, 30_000);
  await registerFake(mc, 1);
  const mi = runFluid(['master-info', '--masters', cluster.addresses.join(','), '--token-file', sharedToken().file]);
  assert.equal(mi.code, 0, mi.stderr);
  const port = (a: string): string => a.slice(a.lastIndexOf(':') + 1);
  assert.equal(mi.stdout, `Current leader master: ${leader.id}:${port(leader.address)}\nAll masters: [${cluster.masters.map((m) => `${m.id}:${port(m.address)}`).join(', ')}]\n`);
  // Kill two, keeping the leader alive: it must stop serving (check quorum), never answer stale.
  const others = cluster.masters.filter((m) => m.address !== leader.address);
  for (const m of others) await m.kill();
  const refusal = await waitFor('the survivor refuses', async () => {
    try {
      await callRpc(leader.address, 'workers', {}, { timeoutMs: 5000, credential });
      return undefined;
    } catch (err) {
      return err instanceof RpcRemoteError ? err : undefined;
    }
  }, 20_000, 100);
  assert.equal(refusal.code, 'NotLeader');
  await assert.rejects(callRpc(leader.address, 'registerWorker', {
    workerId: 'fake-2', instanceId: 'fake-2', uid: 0, tierPaths: [], address: '127.0.0.1:1', host: '127.0.0.1', tiers: [], blocks: [],
  }, { timeoutMs: 5000, credential }), (err: unknown) => err instanceof RpcRemoteError && err.code === 'NotLeader');
  // One returns: a leader is elected again and the state is intact.
  others[0]!.start();
  await cluster.leader();
  const ids = (await mc.workers()).workers.map((w) => w.id);
  assert.ok(ids.includes('fake-1'));
  assert.ok(!ids.includes('fake-2'));
});

test('GIVEN a mutation acknowledged by the leader WHEN the leader is SIGKILLed and the client retries the same request id on the new leader THEN it is not applied again', async (t) => {
  const root = fixture(t);
  const cluster = await startHaCluster(t, { size: 3, mounts: [mount('d', `local://${root}`)] });
  const first = await cluster.leader();
  const body = (address: string): Record<string, unknown> => ({ workerId: 'retried', instanceId: 'retried-1', uid: 0, tierPaths: [], address, host: '127.0.0.1', tiers: [], blocks: [] });
  await callRpc(first.address, 'registerWorker', body('127.0.0.1:1111'), { requestId: 'req-42', timeoutMs: 5000, credential });
  await first.kill();
  const second = await cluster.leader();
  // The retry carries a different body under the same id: applying it would change the address.
  await callRpc(second.address, 'registerWorker', body('127.0.0.1:2222'), { requestId: 'req-42', timeoutMs: 5000, credential });
  const w = (await callRpc<{ workers: { id: string; address: string }[] }>(second.address, 'workers', {}, { timeoutMs: 5000, credential })).workers.find((x) => x.id === 'retried');
  assert.equal(w?.address, '127.0.0.1:1111');
  // A new id is applied normally.
  await callRpc(second.address, 'registerWorker', body('127.0.0.1:3333'), { requestId: 'req-43', timeoutMs: 5000, credential });
  const w2 = (await callRpc<{ workers: { id: string; address: string }[] }>(second.address, 'workers', {}, { timeoutMs: 5000, credential })).workers.find((x) => x.id === 'retried');
  assert.equal(w2?.address, '127.0.0.1:3333');
});
