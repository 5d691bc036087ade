// admission.k8s.io/v1 AdmissionReview for the pod webhook: parse the request kube-apiserver sends,
// build the response it expects. Pure; the webhook server (apps/webhook) does the I/O.
import { FluidError } from '../errors.js';
import type { CacheAffinityResult } from './cache-affinity.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

/** The body is not an AdmissionReview the webhook can answer; `field` names what is wrong. */
export class AdmissionReviewError extends FluidError {
  constructor(readonly field: string, message: string) {
    super('BadAdmissionReview', `${field}: ${message}`);
  }
}

export interface PodAdmissionRequest {
  readonly uid: string;
  /** The namespace of the pod being created (request.namespace). */
  readonly namespace: string;
  readonly operation: string;
  /** The pod as it will be stored (request.object). */
  readonly pod: Record<string, unknown>;
  /** namespace/name for logs; name may be empty for generateName pods. */
  readonly podKey: string;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parsePodReview(body: unknown): PodAdmissionRequest {
  if (!isRecord(body)) throw new AdmissionReviewError('body', 'expected a JSON object (an AdmissionReview)');
  if (body['apiVersion'] !== ADMISSION_API_VERSION || body['kind'] !== 'AdmissionReview') {
    throw new AdmissionReviewError('apiVersion/kind', `expected ${ADMISSION_API_VERSION} AdmissionReview, got ${JSON.stringify(body['apiVersion'])} ${JSON.stringify(body['kind'])}`);
  }
  const req = body['request'];
  if (!isRecord(req)) throw new AdmissionReviewError('request', 'required');
  const uid = req['uid'];
  if (typeof uid !== 'string' || uid === '') throw new AdmissionReviewError('request.uid', 'required');
  const kind = isRecord(req['kind']) ? req['kind'] : {};
  if (kind['group'] !== '' || kind['kind'] !== 'Pod') {
    throw new AdmissionReviewError('request.kind', `expected the core Pod kind, got ${JSON.stringify(kind)}`);
  }
  const pod = req['object'];
  if (!isRecord(pod)) throw new AdmissionReviewError('request.object', 'required: the pod');
  const meta = isRecord(pod['metadata']) ? pod['metadata'] : {};
  const namespace = typeof req['namespace'] === 'string' && req['namespace'] !== '' ? req['namespace']
    : typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
  if (namespace === '') throw new AdmissionReviewError('request.namespace', 'required');
  const name = typeof meta['name'] === 'string' && meta['name'] !== '' ? meta['name'] : typeof meta['generateName'] === 'string' ? `${meta['generateName']}*` : '';
  return { uid, namespace, operation: typeof req['operation'] === 'string' ? req['operation'] : '', pod, podKey: `${namespace}/${name}` };
}

/** Base64 of the UTF-8 bytes of `s` (web-standard globals only: core does no Node I/O). */
export function base64Utf8(s: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * The AdmissionReview answer: always allowed (the webhook only steers, it never rejects), with a
 * JSONPatch when the pod changes. `warnings` reach the client (kubectl prints them).
 */
export function podReviewResponse(uid: string, result: CacheAffinityResult, warnings: readonly string[] = []): Json {
  const response: Json = { uid, allowed: true };
  if (result.changed) {
    response['patchType'] = 'JSONPatch';
    response['patch'] = base64Utf8(JSON.stringify(result.patch));
  }
  if (warnings.length > 0) response['warnings'] = [...warnings];
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}
