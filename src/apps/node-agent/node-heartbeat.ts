// Registers this node agent's Node and keeps it alive, as the kubelet does: the Node is created
// with its labels, its status (addresses, capacity, Ready) goes through the nodes/status
// subresource, the Lease in kube-node-lease is renewed every NODE_LEASE_RENEW_MS, and the status
// heartbeat is posted every STATUS_MS. When either stops, the real kube-controller-manager's node
// lifecycle controller marks the Node NotReady.
import { arch, cpus, release, totalmem } from 'node:os';
import type { KubeClient, ResourceType } from '../../adapters/kube/kube-client.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { R } from '../../adapters/kube/resources.js';
import type { KubeObject } from '../../core/workloads/kube-object.js';
import { kubeMicroTime, kubeTime } from '../../core/workloads/kube-time.js';
import { NODE_LEASE_RENEW_MS, nodeLabels, nodeLease, nodeStatus, type NodeFacts } from '../../core/workloads/node-status.js';

const LEASE: ResourceType = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };
/** Period of the Node status heartbeat (the Lease carries liveness in between). */
const STATUS_MS = 60_000;

export function machineFacts(name: string, address: string): NodeFacts {
  return { name, address, cpus: cpus().length, memoryBytes: totalmem(), arch: arch(), kernel: release() };
}

export class NodeHeartbeat {
  private timers: NodeJS.Timeout[] = [];
  private readonly readySince = kubeTime(new Date());
  private nodeUid: string | undefined;
  private leaseWarned = false;

  constructor(private readonly client: KubeClient, private readonly facts: NodeFacts, private readonly log: (msg: string) => void) {}

  /** Creates the Node if missing (labels) and posts its status; then renews Lease and status periodically. */
  async start(): Promise<void> {
    let node = await this.client.get<KubeObject>(R.node, undefined, this.facts.name);
    if (!node) {
      try {
        node = await this.client.create<KubeObject>(R.node, { apiVersion: 'v1', kind: 'Node', metadata: { name: this.facts.name, labels: nodeLabels(this.facts) }, spec: {} });
      } catch (err) {
        if (!(err instanceof KubeApiError && err.status === 409)) throw err;
        node = await this.client.get<KubeObject>(R.node, undefined, this.facts.name);
      }
    }
    this.nodeUid = node?.metadata.uid;
    await this.postStatus();
    await this.renewLease();
    this.timers = [
      setInterval(() => void this.renewLease(), NODE_LEASE_RENEW_MS),
      setInterval(() => void this.postStatus(), STATUS_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private async postStatus(): Promise<void> {
    try {
      await this.client.patch(R.node, undefined, this.facts.name, { status: nodeStatus(this.facts, kubeTime(new Date()), this.readySince) }, { status: true });
    } catch (err) {
      this.log(`node ${this.facts.name}: posting node status failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async renewLease(): Promise<void> {
    const now = kubeMicroTime(new Date());
    try {
      const lease = await this.client.get<KubeObject>(LEASE, 'kube-node-lease', this.facts.name);
      if (lease) await this.client.patch(LEASE, 'kube-node-lease', this.facts.name, { spec: { holderIdentity: this.facts.name, renewTime: now } });
      else await this.client.create(LEASE, nodeLease(this.facts.name, now, this.nodeUid));
      this.leaseWarned = false;
    } catch (err) {
      if (!this.leaseWarned) this.log(`node ${this.facts.name}: renewing its Lease failed: ${err instanceof Error ? err.message : String(err)}`);
      this.leaseWarned = true;
    }
  }
}
