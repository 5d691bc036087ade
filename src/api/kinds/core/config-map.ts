import { Type } from '@sinclair/typebox';
import type { KindDefinition } from '../../kind.js';
import { KindObject, StringMap } from '../internal/schema.js';
import { ageColumn, coreKind, countKeys } from '../internal/core-kind.js';

/** v1 ConfigMap. */
export const configMapKind: KindDefinition = coreKind({
  kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'], namespaced: true,
  schema: KindObject(undefined, undefined, { data: StringMap(), binaryData: StringMap(), immutable: Type.Boolean() }),
  columns: [{ name: 'Data', type: 'integer', jsonPath: '.data', value: (o) => countKeys(o['data'], o['binaryData']) }, ageColumn],
});
