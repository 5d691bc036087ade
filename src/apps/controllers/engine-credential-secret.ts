// The runtime's engine credential as a Secret (`<runtime>-engine-token`, key `token`, owned by the
// runtime). The runtime controller creates it once, before any engine pod exists; engine pods get it
// as a 0600 file through a secret volume; controllers and the CLI read it from the API to call the
// engine. Idempotent: an existing valid Secret is kept (rotating it means deleting it and the pods).
// The value is never logged, put in status, events or error messages.
import { EngineCredential } from '../../adapters/engine-client/index.js';
import type { KubeClient } from '../../adapters/kube/kube-client.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { R } from '../../adapters/kube/resources.js';
import { FluidError } from '../../core/errors.js';
import type { KubeObject } from '../../core/workloads/kube-object.js';
import { ENGINE_TOKEN_SECRET_KEY, engineTokenSecretName } from '../../core/workloads/names.js';
import { ownerRef, type RuntimeRef } from '../../core/workloads/templates.js';

type SecretObj = KubeObject & { data?: Record<string, string>; type?: string };

/** The Secret exists but holds no usable token (someone edited it). Names the Secret and key only. */
export class EngineCredentialSecretError extends FluidError {
  constructor(readonly namespace: string, readonly secret: string, detail: string) {
    super('Invalid', `Secret ${namespace}/${secret} key "${ENGINE_TOKEN_SECRET_KEY}": ${detail}`);
  }
}

function credentialOf(secret: SecretObj, ns: string): EngineCredential {
  const b64 = secret.data?.[ENGINE_TOKEN_SECRET_KEY];
  if (b64 === undefined) throw new EngineCredentialSecretError(ns, secret.metadata.name, 'missing');
  try {
    return EngineCredential.of(Buffer.from(b64, 'base64').toString('utf8'));
  } catch {
    throw new EngineCredentialSecretError(ns, secret.metadata.name, 'does not hold a valid engine token; delete the Secret to have a new one generated');
  }
}

/** Reads the runtime's credential; undefined when the Secret does not exist (yet). */
export async function readEngineCredential(client: KubeClient, namespace: string, runtime: string): Promise<EngineCredential | undefined> {
  const s = await client.get<SecretObj>(R.secret, namespace, engineTokenSecretName(runtime));
  return s ? credentialOf(s, namespace) : undefined;
}

/** Returns the runtime's credential, creating its Secret (random 32-byte token) when missing. */
export async function ensureEngineCredential(client: KubeClient, rt: RuntimeRef): Promise<EngineCredential> {
  const existing = await readEngineCredential(client, rt.namespace, rt.name);
  if (existing) return existing;
  const cred = EngineCredential.generate();
  const secret: SecretObj = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: engineTokenSecretName(rt.name), namespace: rt.namespace, labels: { app: 'fluid-ts', release: rt.name }, ownerReferences: [ownerRef(rt)] },
    data: { [ENGINE_TOKEN_SECRET_KEY]: Buffer.from(cred.reveal()).toString('base64') },
  };
  try {
    await client.create(R.secret, secret);
    return cred;
  } catch (err) {
    // Another reconcile created it first: use theirs.
    if (!(err instanceof KubeApiError && err.status === 409)) throw err;
    const now = await readEngineCredential(client, rt.namespace, rt.name);
    if (!now) throw err;
    return now;
  }
}

/** Reads the credential, or throws a clear error naming the Secret when it is missing. */
export async function requireEngineCredential(client: KubeClient, namespace: string, runtime: string): Promise<EngineCredential> {
  const c = await readEngineCredential(client, namespace, runtime);
  if (!c) throw new EngineCredentialSecretError(namespace, engineTokenSecretName(runtime), 'Secret not found (the runtime controller creates it when it sets the runtime up)');
  return c;
}
