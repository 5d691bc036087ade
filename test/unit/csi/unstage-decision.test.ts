import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveCleanPolicy, podsUsingDataset, runtimeKindOfType, unstageAction, type NodePodUse } from '../../../src/core/csi/unstage-decision.js';

const ds = { namespace: 'default', name: 'hbase' };
const pod = (name: string, o: Partial<NodePodUse> = {}): NodePodUse => ({ namespace: 'default', name, deleting: false, phase: 'Running', claimNames: ['hbase'], ...o });

test('GIVEN pods on the node WHEN counting users of the dataset THEN only live pods of its namespace that mount its claim count', () => {
  const pods = [
    pod('app'),
    pod('going', { deleting: true }),
    pod('done', { phase: 'Succeeded' }),
    pod('failed', { phase: 'Failed' }),
    pod('other-ns', { namespace: 'prod' }),
    pod('other-claim', { claimNames: ['spark'] }),
    pod('pending', { phase: 'Pending' }),
  ];
  assert.deepEqual(podsUsingDataset(pods, ds).map((p) => p.name), ['app', 'pending']);
});

test('OnDemand removes the label only when no pod uses the dataset; OnRuntimeDeleted always keeps it', () => {
  assert.deepEqual(unstageAction('OnDemand', []), { kind: 'RemoveLabel' });
  assert.deepEqual(unstageAction('OnDemand', [pod('app')]), { kind: 'KeepLabel', why: 'still used by pod default/app' });
  assert.deepEqual(unstageAction('OnRuntimeDeleted', []), { kind: 'KeepLabel', why: 'fuse.cleanPolicy is OnRuntimeDeleted' });
});

test('the clean policy is the runtime spec value, else Fluid default per kind', () => {
  assert.equal(effectiveCleanPolicy('AlluxioRuntime', 'OnDemand'), 'OnDemand');
  assert.equal(effectiveCleanPolicy('AlluxioRuntime', undefined), 'OnRuntimeDeleted');
  assert.equal(effectiveCleanPolicy('JuiceFSRuntime', undefined), 'OnDemand');
  assert.equal(effectiveCleanPolicy('JuiceFSRuntime', 'OnRuntimeDeleted'), 'OnRuntimeDeleted');
  assert.equal(runtimeKindOfType('alluxio'), 'AlluxioRuntime');
  assert.equal(runtimeKindOfType('juicefs'), 'JuiceFSRuntime');
  assert.equal(runtimeKindOfType('nope'), undefined);
});
