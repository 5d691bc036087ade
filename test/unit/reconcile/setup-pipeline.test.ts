import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextSetupStep, type SetupObservation } from '../../../src/core/reconcile/setup-pipeline.js';
import { runtimePhase } from '../../../src/core/reconcile/runtime-phase.js';
import { cachedPercentage, cacheStates } from '../../../src/core/reconcile/cache-states.js';
import { backoffDelay } from '../../../src/core/reconcile/backoff.js';

const nothing: SetupObservation = {
  hasMaster: true, hasWorkers: true, masterSetUp: false, masterReady: false, ufsPrepared: false, workersSetUp: false,
  workersReady: false, statusUpToDate: false, datasetBound: false, volumeExists: false, volumeCreated: false,
};

test('GIVEN nothing exists WHEN the pipeline is asked THEN the first step is setting up the master', () => {
  assert.equal(nextSetupStep(nothing), 'setupMaster');
});

test('GIVEN each goal met in turn THEN steps follow Fluid order, the volume before binding, and end with done', () => {
  const order: string[] = [];
  let o: SetupObservation = nothing;
  const flags: (keyof SetupObservation)[] = ['masterSetUp', 'masterReady', 'ufsPrepared', 'workersSetUp', 'workersReady', 'statusUpToDate', 'volumeCreated', 'datasetBound'];
  for (const f of flags) {
    order.push(nextSetupStep(o));
    o = { ...o, [f]: true };
  }
  assert.deepEqual(order, ['setupMaster', 'checkMasterReady', 'prepareUfs', 'setupWorkers', 'checkWorkersReady', 'updateRuntimeStatus', 'createVolume', 'bindDataset']);
  assert.equal(nextSetupStep(o), 'done');
});

test('GIVEN a master that went un-ready after setup WHEN re-run THEN the pipeline goes back to waiting for it', () => {
  const all: SetupObservation = { ...nothing, masterSetUp: true, masterReady: true, ufsPrepared: true, workersSetUp: true, workersReady: true, statusUpToDate: true, datasetBound: true, volumeCreated: true };
  assert.equal(nextSetupStep({ ...all, masterReady: false }), 'checkMasterReady');
});

test('GIVEN an engine without master WHEN planned THEN master steps and UFS preparation are skipped', () => {
  assert.equal(nextSetupStep({ ...nothing, hasMaster: false, hasWorkers: false }), 'updateRuntimeStatus');
});

test('GIVEN desired and ready counts THEN runtime phase is NotReady, PartialReady or Ready', () => {
  assert.equal(runtimePhase(0, 0), 'NotReady');
  assert.equal(runtimePhase(2, 0), 'NotReady');
  assert.equal(runtimePhase(2, 1), 'PartialReady');
  assert.equal(runtimePhase(2, 2), 'Ready');
});

test('GIVEN cached and total bytes THEN the percentage has one decimal and never rounds a partial cache to 100', () => {
  assert.equal(cachedPercentage(0, 1000), '0.0%');
  assert.equal(cachedPercentage(500, 1000), '50.0%');
  assert.equal(cachedPercentage(999_999, 1_000_000), '99.9%');
  assert.equal(cachedPercentage(1000, 1000), '100.0%');
  assert.equal(cachedPercentage(2000, 1000), '100.0%');
  assert.deepEqual(cacheStates(0, 2 ** 32, 577573683), { cached: '0.00B', cacheCapacity: '4.00GiB', cachedPercentage: '0.0%' });
});

test('GIVEN repeated failures THEN the backoff doubles up to its cap', () => {
  const o = { baseMs: 100, maxMs: 1000 };
  assert.deepEqual([0, 1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n, o)), [0, 100, 200, 400, 800, 1000, 1000]);
});

import { expandVars, mapJsonPaths, toHostPath } from '../../../src/core/workloads/path-map.js';

test('GIVEN volume mounts WHEN a container path is mapped THEN the longest mount wins and others pass through', () => {
  const m = [{ mountPath: '/etc/fluid', hostDir: '/h/pods/p/volumes/cfg' }, { mountPath: '/etc/fluid/secrets/a', hostDir: '/h/pods/p/secrets/a' }];
  assert.equal(toHostPath(m, '/etc/fluid/x.json'), '/h/pods/p/volumes/cfg/x.json');
  assert.equal(toHostPath(m, '/etc/fluid/secrets/a/k'), '/h/pods/p/secrets/a/k');
  assert.equal(toHostPath(m, '/etc/fluidx'), '/etc/fluidx');
  assert.deepEqual(mapJsonPaths({ a: ['/etc/fluid/j'], b: 'rel', n: 3 }, m), { a: ['/h/pods/p/volumes/cfg/j'], b: 'rel', n: 3 });
});

test('GIVEN $(POD_NAME) in args THEN it expands from the container env and $$ escapes', () => {
  assert.equal(expandVars('/etc/fluid/$(POD_NAME).json', { POD_NAME: 'hbase-master-0' }), '/etc/fluid/hbase-master-0.json');
  assert.equal(expandVars('$$(X) $(MISSING)', {}), '$(X) $(MISSING)');
});

import { podCause } from '../../../src/core/workloads/pod-cause.js';
import type { Pod } from '../../../src/core/workloads/kube-object.js';

test('GIVEN a crash-looping FUSE pod WHEN its cause is asked THEN the last termination message is the cause and names the UFS', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hbase-fuse-ab12c' }, spec: { containers: [] },
    status: {
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'container is not running' }],
      containerStatuses: [{
        name: 'fuse', image: 'i', imageID: '', ready: false, started: false, restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', message: 'fluid engine fuse: mount "hbase": under storage is not usable: HTTP 500' } },
      }],
    },
  } as Pod;
  assert.deepEqual(podCause(pod), {
    pod: 'hbase-fuse-ab12c', reason: 'UFSUnreachable',
    message: 'fluid engine fuse: mount "hbase": under storage is not usable: HTTP 500 (CrashLoopBackOff)',
  });
  const probing = { ...pod, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'health check 503: master unreachable' }] } } as Pod;
  assert.deepEqual(podCause(probing), { pod: 'hbase-fuse-ab12c', reason: 'NotReady', message: 'health check 503: master unreachable' });
  const ready = { ...pod, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as Pod;
  assert.equal(podCause(ready), undefined);
});
