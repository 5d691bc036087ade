// DataProcess: creates the processor pod `<name>-processor` (owned by the DataProcess) with the
// dataset's PersistentVolumeClaim mounted at spec.dataset.mountPath (subPath as given) in every
// container, then follows the pod: Succeeded -> Complete, Failed -> Failed with the pod's reason. A
// script processor is one container `<image>:<imageTag>` running `command` (default ["bash", "-c"])
// with the script source as its argument. A restarted controller finds the pod it created and keeps
// following it. Where no node can run the pod's image (the embedded node agent runs only fluid-ts
// engine images and says so in the pod status, reason UnsupportedInEmbeddedMode), the DataProcess
// fails with that message instead of waiting forever.
import { KubeApiError } from '../../../adapters/kube/kube-errors.js';
import { R } from '../../../adapters/kube/resources.js';
import { arr, rec, str } from '../../../core/reconcile/spec-view.js';
import type { KubeObject, Pod } from '../../../core/workloads/kube-object.js';
import type { OperationExecutor } from '../data-operation-controller.js';

/** How often the processor pod is looked at while it runs. */
const POLL_MS = 1_000;

function processorPod(name: string, ns: string, uid: string, spec: Record<string, unknown>): KubeObject {
  const ds = rec(spec['dataset']) ?? {};
  const proc = rec(spec['processor']) ?? {};
  const script = rec(proc['script']);
  const mount = { name: 'fluid-dataset', mountPath: str(ds['mountPath']) ?? '/data', ...(str(ds['subPath']) ? { subPath: str(ds['subPath']) } : {}) };
  const volume = { name: 'fluid-dataset', persistentVolumeClaim: { claimName: str(ds['name']) ?? '' } };
  let podSpec: Record<string, unknown>;
  if (script) {
    const image = `${str(script['image']) ?? ''}${str(script['imageTag']) ? `:${str(script['imageTag']) ?? ''}` : ''}`;
    podSpec = {
      restartPolicy: str(script['restartPolicy']) ?? 'Never',
      containers: [{
        name: 'script', image, ...(str(script['imagePullPolicy']) ? { imagePullPolicy: str(script['imagePullPolicy']) } : {}),
        command: arr(script['command']).length > 0 ? arr(script['command']) : ['bash', '-c'], args: [str(script['source']) ?? ''],
        env: arr(script['env']), volumeMounts: [...arr(script['volumeMounts']), mount], ...(rec(script['resources']) ? { resources: script['resources'] } : {}),
      }],
      volumes: [...arr(script['volumes']), volume],
    };
  } else {
    const given = structuredClone(rec(rec(proc['job'])?.['podSpec']) ?? {});
    podSpec = {
      restartPolicy: 'Never', ...given,
      containers: arr(given['containers']).map((c) => ({ ...rec(c), volumeMounts: [...arr(rec(c)?.['volumeMounts']), mount] })),
      volumes: [...arr(given['volumes']), volume],
    };
  }
  if (str(proc['serviceAccountName'])) podSpec['serviceAccountName'] = str(proc['serviceAccountName']);
  const meta = rec(proc['podMetadata']) ?? {};
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `${name}-processor`, namespace: ns,
      labels: { ...(rec(meta['labels']) as Record<string, string> | undefined), 'fluid.io/dataprocess': name },
      ...(rec(meta['annotations']) ? { annotations: rec(meta['annotations']) as Record<string, string> } : {}),
      ownerReferences: [{ apiVersion: 'data.fluid.io/v1alpha1', kind: 'DataProcess', name, uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: podSpec,
  } as KubeObject;
}

export const dataProcessExecutor: OperationExecutor = {
  kind: 'DataProcess',
  resource: R.dataProcess,
  needsEngine: false,
  failWhenDatasetMissing: true,
  describe: (spec) => `running the processor with dataset ${str(rec(spec['dataset'])?.['name']) ?? ''} at ${str(rec(spec['dataset'])?.['mountPath']) ?? ''}`,
  startStatus: () => ({}),
  async run(spec, env) {
    const self = await env.client.get<KubeObject>(R.dataProcess, env.namespace, env.operation);
    if (!self) throw new Error('the DataProcess was deleted');
    const pod = processorPod(env.operation, env.namespace, self.metadata.uid ?? '', spec);
    try {
      await env.client.create(R.pod, pod);
    } catch (err) {
      if (!(err instanceof KubeApiError && err.isAlreadyExists())) throw err;
    }
    const podName = pod.metadata.name;
    for (;;) {
      const p = await env.client.get<Pod>(R.pod, env.namespace, podName);
      if (!p) throw new Error(`processor pod ${env.namespace}/${podName} was deleted before it finished`);
      const st = p.status as (Pod['status'] & { reason?: string; message?: string }) | undefined;
      if (st?.phase === 'Succeeded') return { status: { infos: { pod: podName } }, message: `processor pod ${podName} succeeded` };
      if (st?.phase === 'Failed') throw new Error(`processor pod ${podName} failed${st.reason ? ` (${st.reason})` : ''}${st.message ? `: ${st.message}` : ''}`);
      if (st?.reason === 'UnsupportedInEmbeddedMode') throw new Error(`processor pod ${podName} cannot run here: ${st.message ?? ''}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  },
};
