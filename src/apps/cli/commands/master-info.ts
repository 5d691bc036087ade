// `fluid master-info <runtime> [-n NAMESPACE] [--kubeconfig FILE] [--home DIR]` and
// `fluid master-info --masters host:port,... --token-file FILE`: prints the leader and all masters of a cache
// engine like `alluxio fs masterInfo`. Masters are found through the control plane: master i is at
// its pod's status.hostIP and the port allocated to ordinal i (core/reconcile/master-endpoints), and
// each is asked over RPC (masterInfo); the leader's own answer is what is printed. The engine credential comes from
// the runtime's Secret <runtime>-engine-token (through the control plane), or from --token-file.
import type { MasterInfo } from '../../../api/engine-rpc.js';
import { KubeClient } from '../../../adapters/kube/kube-client.js';
import { callRpc } from '../../../adapters/rpc/rpc-client.js';
import { EngineCredential } from '../../../adapters/rpc/engine-credential.js';
import { UsageError } from '../../../core/errors.js';
import { homePaths, resolveHome } from '../../controlplane/home.js';
import type { Command } from '../command.js';
import { runtimeMasters } from '../runtime-masters.js';

interface Args { runtime?: string; namespace: string; masters?: string[]; tokenFile?: string; kubeconfig?: string; home?: string }

function parse(args: readonly string[]): Args {
  const out: Args = { namespace: 'default' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v === '') throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-n' || a === '--namespace') out.namespace = value();
    else if (a === '--masters') out.masters = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--token-file') out.tokenFile = value();
    else if (a === '--kubeconfig') out.kubeconfig = value();
    else if (a === '--home') out.home = value();
    else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}; expected -n NAMESPACE, --masters LIST, --token-file FILE, --kubeconfig FILE, --home DIR`);
    else if (out.runtime === undefined) out.runtime = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (out.masters) {
    if (out.masters.length === 0) throw new UsageError('--masters: expected host:port[,host:port...]');
    for (const m of out.masters) if (!/^[^:\s]+:\d{1,5}$/.test(m)) throw new UsageError(`--masters: "${m}" is not host:port`);
    if (!out.tokenFile) throw new UsageError('--masters needs --token-file FILE (a 0600 file with the runtime\'s engine token, key "token" of Secret <runtime>-engine-token)');
  } else if (out.runtime === undefined) {
    throw new UsageError('usage: fluid master-info <runtime> [-n NAMESPACE] | fluid master-info --masters host:port,...');
  }
  return out;
}

async function mastersFromControlPlane(a: Args): Promise<{ addrs: string[]; credential: EngineCredential }> {
  const kc = KubeClient.fromKubeconfig(a.kubeconfig ?? homePaths(resolveHome(a.home)).kubeconfig);
  return runtimeMasters(kc, a.namespace, a.runtime ?? '');
}

/** "<id>:<port>" like Alluxio's "<hostname>:<port>". */
function label(m: { id: string; address: string }): string {
  return `${m.id}:${m.address.slice(m.address.lastIndexOf(':') + 1)}`;
}

export const command: Command = {
  summary: 'print the leader and all masters of a runtime: master-info <runtime> [-n NS] | --masters host:port,...',
  async run(args: string[]): Promise<number> {
    const a = parse(args);
    const { addrs: addresses, credential } = a.masters
      ? { addrs: a.masters, credential: EngineCredential.fromFile(a.tokenFile ?? '', '--token-file') }
      : await mastersFromControlPlane(a);
    let info: MasterInfo | undefined;
    let any: MasterInfo | undefined;
    const errors: string[] = [];
    for (const addr of addresses) {
      try {
        const r = await callRpc<MasterInfo>(addr, 'masterInfo', {}, { timeoutMs: 3000, credential });
        any ??= r;
        if (r.leader) {
          // Confirm with the leader itself: a follower's view may be a term behind.
          const l = await callRpc<MasterInfo>(r.leader.address, 'masterInfo', {}, { timeoutMs: 3000, credential }).catch(() => undefined);
          if (l?.leader?.address === r.leader.address) { info = l; break; }
        }
      } catch (err) {
        errors.push(`${addr}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const known = info ?? any;
    if (!known) {
      process.stderr.write(`fluid: no master answered: ${errors.join('; ')}\n`);
      return 1;
    }
    process.stdout.write(`Current leader master: ${info?.leader ? label(info.leader) : '(none: election in progress)'}\n`);
    process.stdout.write(`All masters: [${known.masters.map(label).join(', ')}]\n`);
    return info ? 0 : 1;
  },
};
