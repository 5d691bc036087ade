// The local node agent: plays the kubelet for pods bound to this node (spec.nodeName). Each pod
// a PodRunner claims runs as one supervised local process (restart with exponential backoff,
// log at HOME/pods/<ns>/<pod>/<container>.log); readiness comes from the runner's probe; pod
// status (phase, Ready, containerStatuses with restartCount, podIP/hostIP) is written back.
// Deleting a pod stops its process (SIGTERM, or SIGKILL for --grace-period=0). Pods no runner
// claims are refused with a message saying where their dataset volumes are mounted on the host.
// Operations on one pod key run strictly one after another, so a recreated pod (same name, new
// uid) starts only after the old process has exited.
import { kubeTime } from '../../core/workloads/kube-time.js';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient } from '../../adapters/kube/kube-client.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { R } from '../../adapters/kube/resources.js';
import { SupervisedProcess } from '../../adapters/process/supervised-process.js';
import type { Condition, ContainerStatus, KubeObject, Pod, PodStatus } from '../../core/workloads/kube-object.js';
import { Informer } from '../../adapters/kube/informer.js';
import { PodPrepareError, type PreparedContainer } from './pod-runner.js';
import { podRunners } from './runners.js';
import { NodeHeartbeat, machineFacts } from './node-heartbeat.js';
import { lastLogLine } from './termination-message.js';
import { shmRootOf } from '../controlplane/home.js';
import { NODE_HOST_ROOT_ANNOTATION, TEARDOWN_ANNOTATION } from '../../core/workloads/names.js';
import { CsiVolumes } from './csi-volumes.js';
import { KubeletServer } from '../../adapters/kubelet/kubelet-server.js';
import { ensureServingCert } from '../../adapters/apiserver/tls.js';
import type { KubeObject as StoreObject } from '../../adapters/store/object-store.js';

export interface NodeAgentOptions {
  readonly kubeconfigPath: string;
  readonly home: string;
  readonly nodeName?: string;
  /** The node's InternalIP: pods' hostIP and podIP (host networking). Default 127.0.0.1. */
  readonly address?: string;
  /**
   * The directory this node's hostPath volumes are mapped under (see PodEnvironment.hostRoot), for
   * node hosts that share one filesystem (scripts/kube-cluster.sh). Published on the Node as
   * fluid.io/host-root. Undefined (embedded mode): hostPaths are used as they are.
   */
  readonly hostRoot?: string;
  /** A CSI plugin (fuse.csi.fluid.io) already serving this node; default: the agent serves `fluid csi` itself. */
  readonly csiEndpoint?: string;
  /**
   * Serve the kubelet API (adapters/kubelet: /containerLogs, /exec over SPDY) on `address`:port over
   * HTTPS, with a self-signed serving certificate made at HOME/pki/kubelet.crt, for clients whose
   * certificate chains to clientCaFile; the port is published as daemonEndpoints.kubeletEndpoint.
   * Undefined (embedded mode): not served (the embedded API server serves logs and exec itself).
   */
  readonly kubelet?: { readonly port: number; readonly clientCaFile: string };
  readonly log: (msg: string) => void;
}

/** Compiled CLI entry relative to this module: <out>/src/apps/node-agent -> <out>/src/apps/cli/entry.js. */
const CLI_ENTRY = fileURLToPath(new URL('../cli/entry.js', import.meta.url));
const PROBE_MS = 1_000;
/** Retry of a pod that cannot start yet (e.g. its config key is written once its peers are placed). */
const RETRY_PREPARE_MS = 2_000;
/** Mounted ConfigMap files are brought up to date every this many probes (5 s), as the kubelet syncs them. */
const CONFIG_REFRESH_PROBES = 5;

interface PodWorker {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  proc?: SupervisedProcess;
  prepared?: PreparedContainer;
  ready: boolean;
  /** Why the last probe failed (shown in the Ready condition). */
  notReadyMessage: string;
  probe?: NodeJS.Timeout;
  /** Probes so far (every CONFIG_REFRESH_PROBES-th also refreshes the pod's ConfigMap files). */
  probes: number;
  probing?: AbortController;
  waiting?: { reason: string; message: string };
  lastStatus?: string;
  startTime: string;
  /**
   * Restarts counted before this agent took the pod over (the restartCount in the stored pod
   * status when a restarted control plane finds the pod again): reported restartCount is this
   * plus the restarts of the agent's own supervised process, so it never goes back to 0.
   */
  readonly restartBase: number;
  /** prepared.release() has run (it runs once). */
  tornDown?: boolean;
  /** Termination message of the last failed exit, keyed by its time (read once per exit). */
  lastExitMessage?: { readonly at: number; readonly message: string | undefined };
}

/** The first container's restartCount in the pod's stored status (0 when none or not a count). */
function storedRestartCount(pod: Pod): number {
  const n = pod.status?.containerStatuses?.[0]?.restartCount;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** The Node name the API server bootstraps for this machine (its hostname). */
export function defaultNodeName(): string {
  return hostname();
}

export class NodeAgent {
  private readonly client: KubeClient;
  private readonly pods: Informer<Pod>;
  private readonly workers = new Map<string, PodWorker>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly lastSeen = new Map<string, Pod>();
  private readonly abort = new AbortController();
  private readonly nodeName: string;
  private readonly address: string;
  private readonly heartbeat: NodeHeartbeat;
  private loop: Promise<void> | undefined;
  private csi: CsiVolumes | undefined;
  private kubeletServer: KubeletServer | undefined;

  constructor(private readonly opts: NodeAgentOptions) {
    this.client = KubeClient.fromKubeconfig(opts.kubeconfigPath);
    this.nodeName = opts.nodeName ?? defaultNodeName();
    this.address = opts.address ?? '127.0.0.1';
    this.heartbeat = new NodeHeartbeat(this.client, { ...machineFacts(this.nodeName, this.address), kubeletPort: opts.kubelet?.port ?? 0 }, opts.log);
    // Only this node's pods, as the kubelet watches them (the Node authorizer allows no wider list).
    this.pods = new Informer<Pod>(this.client, R.pod, { resyncMs: 10_000, list: { fieldSelector: `spec.nodeName=${this.nodeName}` }, log: opts.log });
    this.pods.onChange((key, pod, old) => {
      const p = pod ?? old;
      if (!p || (p.spec.nodeName !== this.nodeName && !this.workers.has(key))) return;
      if (pod) this.lastSeen.set(key, pod);
      this.enqueue(key, () => this.sync(key));
    });
  }

  async start(): Promise<void> {
    if (this.opts.kubelet) {
      // Listening before the Node says where: the apiserver may call as soon as the port is published.
      const cert = ensureServingCert(join(this.opts.home, 'pki'), { name: 'kubelet', commonName: this.nodeName, altNames: [`IP:${this.address}`, `DNS:${this.nodeName}`] });
      this.kubeletServer = new KubeletServer({
        nodeName: this.nodeName, address: this.address, port: this.opts.kubelet.port, certPem: cert.certPem, keyPem: cert.keyPem,
        clientCaPem: readFileSync(this.opts.kubelet.clientCaFile, 'utf8'), podRoot: join(this.opts.home, 'pods'),
        pod: (ns, name) => {
          const p = this.pods.get(`${ns}/${name}`);
          return p && p.spec.nodeName === this.nodeName ? (p as unknown as StoreObject) : undefined;
        },
        client: this.client, log: this.opts.log,
      });
      await this.kubeletServer.listen();
    }
    await this.heartbeat.start();
    if (this.opts.hostRoot !== undefined) {
      // Where `fluid mount-path --node` finds this node's mounts; a node may annotate its own Node.
      mkdirSync(this.opts.hostRoot, { recursive: true, mode: 0o755 });
      await this.client.patch(R.node, undefined, this.nodeName, { metadata: { annotations: { [NODE_HOST_ROOT_ANNOTATION]: this.opts.hostRoot } } });
    }
    this.csi = await CsiVolumes.start({ client: this.client, home: this.opts.home, nodeName: this.nodeName, log: this.opts.log, ...(this.opts.csiEndpoint ? { endpoint: this.opts.csiEndpoint } : {}), ...(this.opts.hostRoot !== undefined ? { hostRoot: this.opts.hostRoot } : {}) });
    this.loop = this.pods.run(this.abort.signal);
    this.opts.log(`node agent started on node ${this.nodeName}`);
  }

  /**
   * Stops every process (SIGTERM, 10 s grace); pods stay in the API and restart with the agent.
   * Then frees the RAM of the home's MEM cache tiers (/dev/shm/fluid-<id>): a tmpfs outlives
   * the processes, and a cold cache after `fluid up` is the price of not holding RAM while down.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    this.heartbeat.stop();
    await Promise.all([...this.chains.values()]);
    await Promise.all([...this.workers.values()].map((w) => this.stopWorker(w, 10_000)));
    this.workers.clear();
    await this.loop;
    await this.kubeletServer?.close();
    await this.csi?.stop();
    rmSync(shmRootOf(this.opts.home), { recursive: true, force: true });
  }

  private enqueue(key: string, op: () => Promise<void>): void {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(op).catch((err: unknown) => this.opts.log(`pod ${key}: ${err instanceof Error ? err.message : String(err)}`));
    this.chains.set(key, next);
    void next.finally(() => { if (this.chains.get(key) === next) this.chains.delete(key); });
  }

  private podDir(ns: string, name: string): string {
    return join(this.opts.home, 'pods', ns, name);
  }

  private async sync(key: string): Promise<void> {
    if (this.abort.signal.aborted) return;
    const pod = this.pods.get(key);
    const worker = this.workers.get(key);
    if (!pod || pod.metadata.deletionTimestamp || pod.spec.nodeName !== this.nodeName) {
      if (worker) {
        const last = pod ?? this.lastSeen.get(key);
        const grace = (last?.metadata as { deletionGracePeriodSeconds?: number } | undefined)?.deletionGracePeriodSeconds;
        const prepared = worker.prepared;
        await this.stopWorker(worker, grace === undefined ? 10_000 : Math.min(grace, 30) * 1000);
        // The runtime is being deleted: what the pod kept on this host goes with it.
        if (last?.metadata.annotations?.[TEARDOWN_ANNOTATION] === 'true') prepared?.teardown?.();
        this.workers.delete(key);
        rmSync(join(this.podDir(worker.namespace, worker.name), 'secrets'), { recursive: true, force: true });
        rmSync(join(this.podDir(worker.namespace, worker.name), 'volumes'), { recursive: true, force: true });
      }
      if (pod?.metadata.deletionTimestamp && pod.spec.nodeName === this.nodeName) await this.finishDeletion(pod);
      if (!pod) this.lastSeen.delete(key);
      return;
    }
    if (worker && worker.uid !== pod.metadata.uid) {
      await this.stopWorker(worker, 10_000);
      this.workers.delete(key);
    }
    const current = this.workers.get(key);
    if (current?.proc) {
      await this.writeStatus(current);
      return;
    }
    const runner = podRunners.find((r) => r.claims(pod));
    if (!runner) {
      await this.refuse(pod);
      return;
    }
    const ns = pod.metadata.namespace ?? 'default';
    const w: PodWorker = current ?? { uid: pod.metadata.uid ?? '', name: pod.metadata.name, namespace: ns, ready: false, notReadyMessage: '', probes: 0, startTime: pod.status?.startTime ?? podTime(), restartBase: storedRestartCount(pod) };
    this.workers.set(key, w);
    const dir = this.podDir(ns, pod.metadata.name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      w.prepared = await runner.prepare(pod, { client: this.client, home: this.opts.home, podDir: dir, cliEntry: CLI_ENTRY, nodeName: this.nodeName, address: this.address, ...(this.opts.hostRoot !== undefined ? { hostRoot: this.opts.hostRoot } : {}), ...(this.csi ? { csi: this.csi } : {}) });
    } catch (err) {
      const reason = err instanceof PodPrepareError ? err.reason : 'PrepareFailed';
      w.waiting = { reason, message: err instanceof Error ? err.message : String(err) };
      await this.writeStatus(w);
      setTimeout(() => { if (this.workers.get(key) === w && !w.proc) this.enqueue(key, () => this.sync(key)); }, RETRY_PREPARE_MS);
      return;
    }
    w.waiting = undefined;
    const prepared = w.prepared;
    w.proc = new SupervisedProcess({
      command: prepared.command, args: prepared.args, env: prepared.env, cwd: prepared.cwd,
      logFile: join(dir, `${prepared.container}.log`), pidFile: join(dir, `${prepared.container}.pid`),
      backoff: { baseMs: 1_000, maxMs: 30_000 },
      restartPolicy: pod.spec.restartPolicy === 'Never' || pod.spec.restartPolicy === 'OnFailure' ? pod.spec.restartPolicy : 'Always',
    }, (snap) => {
      if (snap.state !== 'running') {
        w.ready = false;
        prepared.afterExit();
      }
      this.enqueue(key, () => this.writeStatus(w));
    });
    w.proc.start();
    if (Object.keys(prepared.annotations).length > 0) {
      // Informational only (nothing derives addresses from it): on a real cluster the Node authorizer
      // lets a node write pod status but not pod metadata, and that must not stop the pod.
      try {
        await this.client.patch(R.pod, ns, pod.metadata.name, { metadata: { annotations: prepared.annotations } });
      } catch (err) {
        this.opts.log(`pod ${key}: annotating it failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    w.probe = setInterval(() => void this.probe(key, w), PROBE_MS);
    await this.writeStatus(w);
  }

  /**
   * The kubelet's last word on a deleted pod: once its process is stopped and its volumes released,
   * delete it with grace 0 (this uid only), so a real API server removes the object instead of
   * leaving it Terminating. The embedded API server has removed it already (nothing to do then).
   */
  private async finishDeletion(pod: Pod): Promise<void> {
    try {
      await this.client.delete(R.pod, pod.metadata.namespace ?? 'default', pod.metadata.name, { gracePeriodSeconds: 0, ...(pod.metadata.uid ? { preconditions: { uid: pod.metadata.uid } } : {}) });
    } catch (err) {
      // 404: already gone; 409: the uid precondition failed, a newer pod of that name is not ours to delete.
      if (err instanceof KubeApiError && (err.status === 404 || err.status === 409)) return;
      this.opts.log(`pod ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}: final delete failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async probe(key: string, w: PodWorker): Promise<void> {
    if (!w.proc || !w.prepared || w.probing || this.abort.signal.aborted) return;
    w.probing = new AbortController();
    try {
      if (w.prepared.refresh && ++w.probes % CONFIG_REFRESH_PROBES === 0) {
        await w.prepared.refresh().catch((err: unknown) => this.opts.log(`pod ${key}: refreshing its ConfigMap files: ${err instanceof Error ? err.message : String(err)}`));
      }
      const raw = w.proc.snapshot().state === 'running' ? await w.prepared.ready(w.probing.signal) : { ready: false, message: 'container is not running' };
      const r = typeof raw === 'boolean' ? { ready: raw, message: raw ? '' : 'readiness probe failed' } : raw;
      if (r.ready !== w.ready || r.message !== w.notReadyMessage) {
        w.ready = r.ready;
        w.notReadyMessage = r.message;
        this.enqueue(key, () => this.writeStatus(w));
      }
    } finally {
      w.probing = undefined;
    }
  }

  private async stopWorker(w: PodWorker, graceMs: number): Promise<void> {
    if (w.probe) clearInterval(w.probe);
    w.probing?.abort();
    w.ready = false;
    if (w.proc) await w.proc.stop(graceMs);
    w.prepared?.afterExit();
    w.proc = undefined;
    if (w.prepared?.release && !w.tornDown) {
      w.tornDown = true;
      try {
        await w.prepared.release();
      } catch (err) {
        this.opts.log(`pod ${w.namespace}/${w.name}: releasing its volumes failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private async writeStatus(w: PodWorker): Promise<void> {
    if (this.abort.signal.aborted) return;
    const key = `${w.namespace}/${w.name}`;
    const pod = this.pods.get(key);
    if (!pod || pod.metadata.uid !== w.uid || pod.metadata.deletionTimestamp) return;
    const snap = w.proc?.snapshot();
    const container = pod.spec.containers[0];
    let state: Record<string, unknown>;
    if (w.waiting) state = { waiting: w.waiting };
    else if (snap?.state === 'running') state = { running: { startedAt: podTime(snap.startedAt) } };
    else if (snap?.state === 'terminated' && snap.lastExit) {
      state = { terminated: { exitCode: snap.lastExit.code ?? 137, reason: snap.lastExit.code === 0 ? 'Completed' : 'Error', startedAt: podTime(snap.startedAt), finishedAt: podTime(snap.lastExit.at) } };
    } else if (snap?.state === 'backoff') state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container (exit code ${snap.lastExit?.code ?? snap.lastExit?.signal ?? '?'}); see ${container?.name ?? 'container'}.log` } };
    else state = { waiting: { reason: 'ContainerCreating', message: '' } };
    if (snap?.lastExit && snap.lastExit.code !== 0 && w.lastExitMessage?.at !== snap.lastExit.at && w.prepared) {
      w.lastExitMessage = { at: snap.lastExit.at, message: lastLogLine(join(this.podDir(w.namespace, w.name), `${w.prepared.container}.log`)) };
    }
    const exitMessage = snap?.lastExit && w.lastExitMessage?.at === snap.lastExit.at ? w.lastExitMessage.message : undefined;
    const cs: ContainerStatus = {
      name: container?.name ?? 'main',
      image: container?.image ?? '',
      imageID: '',
      ready: w.ready,
      started: snap?.state === 'running',
      restartCount: w.restartBase + (snap?.restartCount ?? 0),
      state,
      ...(snap?.lastExit ? { lastState: { terminated: { exitCode: snap.lastExit.code ?? 137, ...(snap.lastExit.signal ? { signal: 0, reason: snap.lastExit.signal } : { reason: snap.lastExit.code === 0 ? 'Completed' : 'Error' }), ...(exitMessage ? { message: exitMessage } : {}), finishedAt: podTime(snap.lastExit.at) } } } : {}),
    };
    const readyStatus = w.ready ? 'True' : 'False';
    const conditions: Condition[] = [
      { type: 'PodScheduled', status: 'True', reason: '', message: '' },
      { type: 'Initialized', status: 'True', reason: '', message: '' },
      { type: 'ContainersReady', status: readyStatus, reason: w.ready ? '' : 'ContainersNotReady', message: '' },
      { type: 'Ready', status: readyStatus, reason: w.ready ? '' : 'ContainersNotReady', message: w.waiting?.message ?? (w.ready ? '' : w.notReadyMessage) },
      ...(w.prepared && !w.waiting ? w.prepared.conditions ?? [] : []),
    ];
    const status: PodStatus = {
      // restartPolicy Never/OnFailure: a container that is not restarted ends the pod.
      phase: w.waiting ? 'Pending' : snap?.state === 'terminated' ? (snap.lastExit?.code === 0 ? 'Succeeded' : 'Failed') : 'Running',
      conditions,
      containerStatuses: [cs],
      podIP: this.address,
      podIPs: [{ ip: this.address }],
      hostIP: this.address,
      hostIPs: [{ ip: this.address }],
      startTime: w.startTime,
      // A merge patch keeps keys it does not name: a reason from a past wait is cleared explicitly.
      ...(w.waiting ? { reason: w.waiting.reason, message: w.waiting.message } : { reason: null, message: null }),
    } as PodStatus;
    const text = JSON.stringify(status);
    if (text === w.lastStatus) return;
    await this.client.patch(R.pod, w.namespace, w.name, { status }, { status: true });
    w.lastStatus = text;
  }

  /** A pod we will not run: say so, and where its dataset volumes are readable on this host. */
  private async refuse(pod: Pod): Promise<void> {
    const ns = pod.metadata.namespace ?? 'default';
    const mounts: string[] = [];
    for (const v of pod.spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc = await this.client.get<KubeObject & { spec?: { volumeName?: string } }>(R.pvc, ns, claim);
      const pv = pvc?.spec?.volumeName ? await this.client.get<KubeObject & { spec?: { csi?: { volumeAttributes?: Record<string, string> } } }>(R.pv, undefined, pvc.spec.volumeName) : undefined;
      const path = pv?.spec?.csi?.volumeAttributes?.['fluid_path'];
      mounts.push(path ? `PVC "${claim}" is mounted on the host at ${path}` : `PVC "${claim}" is not a fluid dataset volume (or not bound yet)`);
    }
    const image = pod.spec.containers.map((c) => c.image).join(', ');
    const message = `this node runs fluid-ts engine workloads and single-container application pods whose volumes are all fluid dataset PVCs; this pod (image ${image}) is neither and is not started. ` +
      (mounts.length > 0 ? `Read the data on this machine instead: ${mounts.join('; ')}.` : 'It mounts no dataset volume.');
    const st = pod.status;
    if (st?.reason === 'UnsupportedInEmbeddedMode' && st.message === message) return;
    await this.client.patch(R.pod, ns, pod.metadata.name, {
      status: {
        phase: 'Pending', reason: 'UnsupportedInEmbeddedMode', message,
        conditions: [
          { type: 'PodScheduled', status: 'True', reason: '', message: '' },
          { type: 'Ready', status: 'False', reason: 'UnsupportedInEmbeddedMode', message },
        ],
        containerStatuses: pod.spec.containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'UnsupportedInEmbeddedMode', message } } })),
      },
    }, { status: true });
  }
}

function podTime(ms?: number): string {
  return kubeTime(new Date(ms ?? Date.now()));
}
