// `fluid cache clean <dataset> [-n NAMESPACE] [--path P]... [--kubeconfig FILE] [--home DIR]`: evicts the
// cached blocks of the given dataset paths (default "/", the whole dataset) on every worker of the
// dataset's cache runtime, and prints what was freed. Masters and the engine credential come from the
// control plane (runtime-masters.ts); the workers are the live ones the leader master knows. The
// Dataset's CACHED column follows once the workers' heartbeats reach the master (within seconds).
import { formatBytes } from '../../../api/quantity.js';
import { MasterClient, RpcRemoteError, cleanPath } from '../../../adapters/engine-client/index.js';
import { KubeClient } from '../../../adapters/kube/kube-client.js';
import { R } from '../../../adapters/kube/resources.js';
import { UsageError } from '../../../core/errors.js';
import { rec, str } from '../../../core/reconcile/spec-view.js';
import type { KubeObject } from '../../../core/workloads/kube-object.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';
import { runtimeMasters } from '../runtime-masters.js';

interface Args { dataset: string; namespace: string; paths: string[]; kubeconfig?: string; home?: string }

const USAGE = 'usage: fluid cache clean <dataset> [-n NAMESPACE] [--path /dir/or/file]... [--kubeconfig FILE] [--home DIR]';

function parse(args: readonly string[]): Args {
  const [sub, ...rest] = args;
  if (sub !== 'clean') throw new UsageError(sub === undefined ? USAGE : `unknown subcommand "cache ${sub}"; ${USAGE}`);
  const out: Partial<Args> & { paths: string[]; namespace: string } = { namespace: 'default', paths: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v === '') throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-n' || a === '--namespace') out.namespace = value();
    else if (a === '--path') {
      const p = value();
      if (!p.startsWith('/')) throw new UsageError(`--path: "${p}" must be a dataset path starting with "/" (e.g. /hbase/CHANGES.md)`);
      out.paths.push(p);
    } else if (a === '--kubeconfig') out.kubeconfig = value();
    else if (a === '--home') out.home = value();
    else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}; ${USAGE}`);
    else if (out.dataset === undefined) out.dataset = a;
    else throw new UsageError(`unexpected argument "${a}"; ${USAGE}`);
  }
  if (out.dataset === undefined) throw new UsageError(USAGE);
  return { ...out, dataset: out.dataset, paths: out.paths.length > 0 ? out.paths : ['/'] };
}

export const command: Command = {
  summary: 'evict cached blocks: cache clean <dataset> [-n NS] [--path P]... (reports the bytes freed)',
  async run(args: string[]): Promise<number> {
    const a = parse(args);
    const kc = KubeClient.fromKubeconfig(a.kubeconfig ?? homePaths(resolveHome(a.home)).kubeconfig);
    const ds = await kc.get<KubeObject>(R.dataset, a.namespace, a.dataset);
    if (!ds) throw new UsageError(`no dataset named "${a.dataset}" in namespace "${a.namespace}"`);
    const phase = str(rec(ds.status)?.['phase']);
    if (phase !== 'Bound') throw new UsageError(`dataset "${a.namespace}/${a.dataset}" is ${phase ?? 'not bound'}: it has no cache runtime, so nothing is cached`);
    const { addrs, credential } = await runtimeMasters(kc, a.namespace, a.dataset);
    const master = new MasterClient(addrs, { credential, failoverTimeoutMs: 15_000 });
    let total = 0;
    let failures = 0;
    for (const p of a.paths) {
      let r;
      try {
        r = await cleanPath(master, p);
      } catch (err) {
        if (err instanceof RpcRemoteError && err.code === 'NotFound') throw new UsageError(`--path ${p}: no such file or directory in dataset "${a.namespace}/${a.dataset}"`);
        throw err;
      }
      total += r.bytesFreed;
      process.stdout.write(`${p}: freed ${r.freedBlocks} block(s), ${formatBytes(r.bytesFreed)} (${r.bytesFreed} bytes) of ${r.files} file(s) on ${r.workers - r.failed.length} worker(s)\n`);
      for (const f of r.failed) {
        failures++;
        process.stderr.write(`fluid: worker ${f.worker} was not cleaned: ${f.reason}\n`);
      }
    }
    if (a.paths.length > 1) process.stdout.write(`total: freed ${formatBytes(total)} (${total} bytes)\n`);
    return failures > 0 ? 1 : 0;
  },
};
