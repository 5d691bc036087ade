// DataBackup: a consistent copy of a Dataset's master metadata (namespace, mount table, worker block
// map) written to backupPath. Fluid's field names (api/v1alpha1 databackup_types.go: spec.dataset is
// the dataset's name in the DataBackup's namespace; columns DATASET PHASE PATH NODENAME DURATION AGE).
import { Type } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../kind.js';
import type { FieldError } from '../field-error.js';
import { KindObject } from './internal/schema.js';
import { OperationRef, OperationStatus } from './internal/operation-schema.js';
import { dig } from './internal/checks.js';

export const DataBackupSpec = Type.Object({
  dataset: Type.String({ minLength: 1, description: 'name of the Dataset (same namespace)' }),
  backupPath: Type.String({ minLength: 1, description: 'pvc://<claim>/<path> or local://<absolute path>' }),
  runAs: Type.Optional(Type.Object({
    uid: Type.Optional(Type.Integer()), gid: Type.Optional(Type.Integer()),
    user: Type.Optional(Type.String()), group: Type.Optional(Type.String()),
  })),
  runAfter: Type.Optional(OperationRef),
  ttlSecondsAfterFinished: Type.Optional(Type.Integer({ minimum: 0 })),
});

/** The file a DataBackup writes under backupPath, and a restore (Dataset spec.dataRestoreLocation) reads. */
export function backupFileName(dataset: string, namespace: string): string {
  return `metadata-backup-${dataset}-${namespace}.json`;
}

/** pvc://<claim>[/<path>] or local:///<path>; undefined when malformed. */
export function parseBackupPath(p: string): { readonly kind: 'pvc'; readonly claim: string; readonly subPath: string } | { readonly kind: 'local'; readonly dir: string } | undefined {
  const pvc = /^pvc:\/\/([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)(\/.*)?$/.exec(p);
  if (pvc) {
    const segs = (pvc[3] ?? '').split('/').filter((s) => s !== '' && s !== '.');
    return segs.includes('..') ? undefined : { kind: 'pvc', claim: pvc[1] as string, subPath: `/${segs.join('/')}` };
  }
  const local = /^local:\/\/(\/.*)$/.exec(p);
  if (local) {
    const segs = (local[1] ?? '').split('/').filter((s) => s !== '' && s !== '.');
    return segs.includes('..') ? undefined : { kind: 'local', dir: `/${segs.join('/')}` };
  }
  return undefined;
}

export const dataBackupKind: KindDefinition = {
  group: 'data.fluid.io',
  version: 'v1alpha1',
  kind: 'DataBackup',
  listKind: 'DataBackupList',
  plural: 'databackups',
  singular: 'databackup',
  shortNames: ['backup'],
  categories: ['fluid'],
  namespaced: true,
  statusSubresource: true,
  schema: KindObject(DataBackupSpec, OperationStatus()),
  printerColumns: [
    { name: 'Dataset', type: 'string', jsonPath: '.spec.dataset' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Path', type: 'string', jsonPath: '.status.infos.BackupLocationPath' },
    { name: 'NodeName', type: 'string', jsonPath: '.status.infos.BackupLocationNodeName' },
    { name: 'Duration', type: 'string', jsonPath: '.status.duration' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  validate(obj: unknown): SemanticResult {
    const errors: FieldError[] = [];
    const p = dig(obj, 'spec', 'backupPath');
    if (typeof p === 'string' && !parseBackupPath(p)) {
      errors.push({ path: 'spec.backupPath', type: 'FieldValueInvalid', value: p, message: 'expected pvc://<claim name>/<path> or local:///<absolute path>, without ".."' });
    }
    return { errors, warnings: [] };
  },
};
