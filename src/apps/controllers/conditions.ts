// Conditions merged by type, Kubernetes style: lastTransitionTime changes only when the status
// flips; reason/message/lastUpdateTime follow the latest observation.
import { kubeTime } from '../../core/workloads/kube-time.js';
import type { Condition } from '../../core/workloads/kube-object.js';

export function setCondition(list: readonly Condition[], c: Condition, now = new Date()): Condition[] {
  const ts = kubeTime(now);
  const old = list.find((x) => x.type === c.type);
  if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return [...list];
  const next: Condition = {
    ...c,
    lastUpdateTime: ts,
    lastTransitionTime: old && old.status === c.status ? (old.lastTransitionTime ?? ts) : ts,
  };
  return old ? list.map((x) => (x.type === c.type ? next : x)) : [...list, next];
}
