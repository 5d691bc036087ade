// The resource collections the orchestration layer uses.
import type { ResourceType } from './kube-client.js';

const fluid = (plural: string): ResourceType => ({ group: 'data.fluid.io', version: 'v1alpha1', plural, namespaced: true });

export const R = {
  dataset: fluid('datasets'),
  alluxioRuntime: fluid('alluxioruntimes'),
  jindoRuntime: fluid('jindoruntimes'),
  juicefsRuntime: fluid('juicefsruntimes'),
  thinRuntime: fluid('thinruntimes'),
  dataLoad: fluid('dataloads'),
  dataClean: fluid('datacleans'),
  dataMigrate: fluid('datamigrates'),
  dataProcess: fluid('dataprocesses'),
  dataBackup: fluid('databackups'),
  pod: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  configMap: { group: '', version: 'v1', plural: 'configmaps', namespaced: true },
  secret: { group: '', version: 'v1', plural: 'secrets', namespaced: true },
  event: { group: '', version: 'v1', plural: 'events', namespaced: true },
  pvc: { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
  pv: { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false },
  node: { group: '', version: 'v1', plural: 'nodes', namespaced: false },
  statefulSet: { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true },
  daemonSet: { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true },
} as const satisfies Record<string, ResourceType>;

/** Resource collection of a runtime kind ("AlluxioRuntime" -> alluxioruntimes). */
export function runtimeResource(kind: string): ResourceType {
  return fluid(`${kind.toLowerCase()}s`);
}
