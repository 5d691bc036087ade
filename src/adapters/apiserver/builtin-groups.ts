// API groups whose kinds are Kubernetes built-ins: kubectl knows their Go types, sends
// strategic merge patches for them, and needs no OpenAPI component schemas from us.
export const OPENAPI_BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  '', 'apps', 'batch', 'coordination.k8s.io', 'policy', 'storage.k8s.io', 'rbac.authorization.k8s.io', 'events.k8s.io',
]);
