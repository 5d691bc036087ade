// DataClean: evict a Dataset's cached blocks on every worker, now (on-demand cache clean). Fluid
// has this kind (api/v1alpha1 dataclean_types.go: spec dataset + ttlSecondsAfterFinished, short name
// `clean`, OperationStatus); fluid-ts serves it with the same fields, so no name of ours sits beside
// Fluid's. `fluid cache clean` does the same for chosen paths from the command line.
import { Type } from '@sinclair/typebox';
import type { KindDefinition, SemanticResult } from '../kind.js';
import { KindObject } from './internal/schema.js';
import { OPERATION_PRINTER_COLUMNS, OperationStatus, TargetDataset } from './internal/operation-schema.js';

export const DataCleanSpec = Type.Object({
  dataset: TargetDataset,
  ttlSecondsAfterFinished: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const dataCleanKind: KindDefinition = {
  group: 'data.fluid.io',
  version: 'v1alpha1',
  kind: 'DataClean',
  listKind: 'DataCleanList',
  plural: 'datacleans',
  singular: 'dataclean',
  shortNames: ['clean'],
  categories: ['fluid'],
  namespaced: true,
  statusSubresource: true,
  schema: KindObject(DataCleanSpec, OperationStatus()),
  printerColumns: OPERATION_PRINTER_COLUMNS,
  validate(): SemanticResult {
    return { errors: [], warnings: [] };
  },
};
