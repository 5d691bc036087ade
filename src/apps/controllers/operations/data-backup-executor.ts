// DataBackup: asks the leader master for a consistent metadata copy (backupMetadata: the state
// machine's snapshot at one applied index, with the worker block map) and writes it whole (temp file
// + rename) as `metadata-backup-<dataset>-<namespace>.json` under backupPath: pvc://<claim>/<path> is
// the claim's bound volume directory (a hostPath volume, as the embedded binder provisions); local:///<path>
// is a directory on the host the controller runs on. A missing claim, an unbound claim, or a volume
// that is not a host directory fails with an error naming spec.backupPath; nothing is written then.
// A new runtime restores from it with Dataset spec.dataRestoreLocation (core/master/metadata-restore.ts).
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backupFileName, parseBackupPath } from '../../../api/kinds/data-backup.js';
import { R } from '../../../adapters/kube/resources.js';
import { FluidError } from '../../../core/errors.js';
import { str } from '../../../core/reconcile/spec-view.js';
import type { KubeObject } from '../../../core/workloads/kube-object.js';
import type { OperationExecutor, OperationRun } from '../data-operation-controller.js';

export class BackupPathError extends FluidError {
  constructor(message: string) {
    super('Invalid', `spec.backupPath: ${message}`);
  }
}

type PvcObj = KubeObject & { spec?: { volumeName?: string }; status?: { phase?: string } };
type PvObj = KubeObject & { spec?: { hostPath?: { path?: string }; local?: { path?: string } } };

async function backupDir(env: OperationRun, backupPath: string): Promise<string> {
  const p = parseBackupPath(backupPath);
  if (!p) throw new BackupPathError(`"${backupPath}" is not pvc://<claim>/<path> or local:///<path>`);
  if (p.kind === 'local') return p.dir;
  const pvc = await env.client.get<PvcObj>(R.pvc, env.namespace, p.claim);
  if (!pvc) throw new BackupPathError(`PersistentVolumeClaim ${env.namespace}/${p.claim} does not exist`);
  if (pvc.status?.phase !== 'Bound' || !pvc.spec?.volumeName) throw new BackupPathError(`PersistentVolumeClaim ${env.namespace}/${p.claim} is not bound to a volume yet`);
  const pv = await env.client.get<PvObj>(R.pv, undefined, pvc.spec.volumeName);
  const root = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
  if (!root) throw new BackupPathError(`the volume ${pvc.spec.volumeName} of PersistentVolumeClaim ${env.namespace}/${p.claim} is not a host directory (hostPath or local)`);
  return p.subPath === '/' ? root : join(root, p.subPath);
}

export const dataBackupExecutor: OperationExecutor = {
  kind: 'DataBackup',
  resource: R.dataBackup,
  dataset: (spec, ns) => ({ name: str(spec['dataset']) ?? '', namespace: ns }),
  describe: (spec) => `backing up the metadata of dataset ${str(spec['dataset']) ?? ''} to ${str(spec['backupPath']) ?? ''}`,
  startStatus: () => ({}),
  async run(spec, env) {
    const backupPath = str(spec['backupPath']) ?? '';
    const dir = await backupDir(env, backupPath);
    const backup = await env.master.backupMetadata();
    const file = join(dir, backupFileName(env.dataset.name, env.dataset.namespace));
    const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
    const text = JSON.stringify(backup);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new BackupPathError(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return {
      status: { infos: { BackupLocationPath: `${backupPath.replace(/\/+$/, '')}/${backupFileName(env.dataset.name, env.dataset.namespace)}`, BackupLocationNodeName: 'NA', files: String(backup.files), directories: String(backup.directories), workers: String(backup.workers), bytes: String(Buffer.byteLength(text)) } },
      message: `backed up the metadata of ${backup.files} file(s) and ${backup.directories} director${backup.directories === 1 ? 'y' : 'ies'} (and the block map of ${backup.workers} worker(s))`,
    };
  },
};
