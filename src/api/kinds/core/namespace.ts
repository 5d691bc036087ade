import type { KindDefinition } from '../../kind.js';
import { KindObject, Preserved } from '../internal/schema.js';
import { ageColumn, coreKind } from '../internal/core-kind.js';

/** v1 Namespace (cluster-scoped). status.phase is Active or Terminating. */
export const namespaceKind: KindDefinition = coreKind({
  kind: 'Namespace', plural: 'namespaces', shortNames: ['ns'], namespaced: false, statusSubresource: true,
  schema: KindObject(Preserved(), Preserved()),
  columns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase' }, ageColumn],
});
