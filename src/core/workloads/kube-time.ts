// Kubernetes' timestamp formats. metav1.Time is RFC 3339 with second precision (conditions,
// events, pod and node status); metav1.MicroTime keeps microseconds (Lease renewTime).

export function kubeTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function kubeMicroTime(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
