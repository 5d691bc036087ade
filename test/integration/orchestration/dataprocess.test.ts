// DataProcess with the real kubectl against `fluid up`: a missing dataset fails at once naming the
// field; on a bound dataset the controller creates the processor pod with the dataset's PVC mounted at
// mountPath. The node agent runs it as an application pod (the dataset mounted through the CSI plugin,
// the script's command run as given, restartPolicy Never): the script's sha256 of a file read through
// the mount equals the source's, the pod Succeeds and the DataProcess goes Complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { condition, datasetWithRuntimeYaml, serveHbase, startControlPlane, waitObj } from './harness.js';

type PodObj = { spec?: { containers?: { args?: string[]; volumeMounts?: { name: string; mountPath: string }[] }[]; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] }; metadata?: { ownerReferences?: { kind: string; name: string }[] } };

function process(name: string, dataset: string): string {
  return `
---
apiVersion: data.fluid.io/v1alpha1
kind: DataProcess
metadata:
  name: ${name}
spec:
  dataset:
    name: ${dataset}
    namespace: default
    mountPath: /data
  processor:
    script:
      image: debian
      imageTag: bookworm
      command: ["bash", "-c"]
      source: sha256sum /data/hbase/CHANGES.md
`;
}

test('DataProcess: missing dataset fails naming it; the processor script reads the dataset at its mountPath and the DataProcess completes', { timeout: 300_000 }, async (t) => {
  const { nginx, files } = await serveHbase(t);
  const cp = startControlPlane(t);
  cp.k(['create', '-f', '-'], process('orphan', 'nosuch'));
  const orphan = await waitObj(cp, ['dataprocess', 'orphan'], (o) => o.status?.['phase'] === 'Failed', 'DataProcess without dataset Failed');
  assert.equal(condition(orphan, 'Failed')?.message, 'spec.dataset.name: dataset default/nosuch does not exist');

  cp.k(['create', '-f', '-'], datasetWithRuntimeYaml('proc', `${nginx.url}hbase/`) + process('checksum', 'proc'));
  const done = await waitObj(cp, ['dataprocess', 'checksum'], (o) => o.status?.['phase'] === 'Failed' || o.status?.['phase'] === 'Complete', 'DataProcess finished', 180_000);
  const pod = cp.json<PodObj>(['get', 'pod', 'checksum-processor']);
  assert.deepEqual(pod?.spec?.volumes?.find((v) => v.name === 'fluid-dataset')?.persistentVolumeClaim, { claimName: 'proc' });
  assert.deepEqual(pod?.spec?.containers?.[0]?.volumeMounts?.find((m) => m.name === 'fluid-dataset')?.mountPath, '/data');
  assert.deepEqual(pod?.spec?.containers?.[0]?.args, ['sha256sum /data/hbase/CHANGES.md']);
  assert.equal(pod?.metadata?.ownerReferences?.[0]?.kind, 'DataProcess');
  assert.equal(done.status?.['phase'], 'Complete', `DataProcess: ${JSON.stringify(done.status)}`);
  const want = files.get('CHANGES.md');
  assert.ok(want, 'the fixture has hbase/CHANGES.md');
  assert.match(cp.k(['logs', 'checksum-processor']), new RegExp(`^${want}  /data/hbase/CHANGES.md$`, 'm'), 'the script read the file through the dataset mount');
  assert.equal(cp.json<{ status?: { phase?: string } }>(['get', 'pod', 'checksum-processor'])?.status?.phase, 'Succeeded');
  assert.match(cp.k(['get', 'dataprocess', 'checksum']), /^NAME\s+DATASET\s+PHASE\s+AGE\s+DURATION\nchecksum\s+proc\s+Complete/);

  const bad = cp.kubectl(['create', '-f', '-'], `
apiVersion: data.fluid.io/v1alpha1
kind: DataProcess
metadata:
  name: both
spec:
  dataset: { name: proc, mountPath: /data }
  processor:
    job: { podSpec: { containers: [] } }
    script: { image: debian, source: "true" }
`);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /spec\.processor: Invalid value: .*exactly one of job and script must be set/);
});
