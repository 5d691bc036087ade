// DataMigrate: copies every file under the source to the destination, `parallelism` files at a time.
//   from dataset (path P): files listed by the master and read through the cache (worker GET /blocks; a
//     missing block is filled from the UFS by the worker, so the cache warms as a side effect);
//   from externalStorage: the URI's connector (local, http(s), s3) read directly;
//   to externalStorage: the URI's connector (local, s3); to dataset (path P): the dataset mount's own
//     UFS under P, then the master's metadata of P is refreshed so readers see the files at once.
// Each file is written whole (WritableUfs.writeFile: temp + rename, or one PutObject), so a file under
// its final name is complete. A run resumed after a controller restart (the operation was Executing)
// keeps every destination file whose size matches its source and copies only the rest. The first run
// checks before writing anything: the source and destination are reachable, and the destination is
// absent or empty unless spec.options.overwrite is "true". Errors name the spec field. The other
// spec.options entries configure the external storage's connector (aws.endpoint, aws.region, ...;
// Fluid's ExternalStorage has only uri + encryptOptions, and its options are the runtime's).
import { blockRefOf } from '../../../core/blockstore/block-id.js';
import { UfsNotFoundError } from '../../../core/ufs/ufs-errors.js';
import type { Ufs, WritableUfs } from '../../../core/ufs/ufs.js';
import { FluidError } from '../../../core/errors.js';
import { arr, num, rec, str } from '../../../core/reconcile/spec-view.js';
import type { KubeObject } from '../../../core/workloads/kube-object.js';
import { RpcUnreachableError, WorkerClient, walkFiles, type MasterClient } from '../../../adapters/engine-client/index.js';
import type { KubeClient } from '../../../adapters/kube/kube-client.js';
import { R } from '../../../adapters/kube/resources.js';
import { createUfs, createWritableUfs } from '../../../adapters/ufs/create-ufs.js';
import type { OperationExecutor, OperationRun } from '../data-operation-controller.js';

/** A DataMigrate spec problem found at run time; the message starts with the field path. */
export class MigrateSpecError extends FluidError {
  constructor(readonly field: string, message: string) {
    super('Invalid', `${field}: ${message}`);
  }
}

/** Attempts per block read through the cache while workers come back (500 ms, 1 s, ... apart). */
const READ_ATTEMPTS = 8;

interface SourceFile {
  /** Path relative to the source root, "/a/b". */
  readonly rel: string;
  readonly size: number;
}

interface Source {
  list(): Promise<SourceFile[]>;
  read(f: SourceFile): Promise<Uint8Array>;
  close(): Promise<void>;
}

interface Sink {
  readonly field: string;
  readonly describe: string;
  /** Entries at the destination root now (0 when it does not exist). */
  entries(): Promise<number>;
  sizeOf(rel: string): Promise<number | undefined>;
  write(rel: string, bytes: Uint8Array): Promise<void>;
  finish(): Promise<void>;
  close(): Promise<void>;
}

type Side = { dataset?: { name: string; namespace: string; path: string }; external?: { uri: string; encryptOptions: readonly unknown[] } };

function sideOf(v: unknown, ns: string): Side {
  const r = rec(v) ?? {};
  const ds = rec(r['dataset']);
  const ext = rec(r['externalStorage']);
  if (ds) return { dataset: { name: str(ds['name']) ?? '', namespace: str(ds['namespace']) ?? ns, path: str(ds['path']) ?? '/' } };
  return { external: { uri: str(ext?.['uri']) ?? '', encryptOptions: arr(ext?.['encryptOptions']) } };
}

const join = (root: string, rel: string): string => (root === '/' ? rel : `${root.replace(/\/+$/, '')}${rel}`);

/** encryptOptions -> option name -> value, from the Secrets they name (values never leave this function's callers). */
async function secretValues(client: KubeClient, ns: string, field: string, opts: readonly unknown[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, o] of opts.entries()) {
    const name = str(rec(o)?.['name']) ?? '';
    const ref = rec(rec(rec(o)?.['valueFrom'])?.['secretKeyRef']);
    const secret = str(ref?.['name']) ?? '';
    const key = str(ref?.['key']) ?? name;
    const s = secret ? await client.get<KubeObject & { data?: Record<string, string> }>(R.secret, ns, secret) : undefined;
    const b64 = s?.data?.[key];
    if (b64 === undefined) throw new MigrateSpecError(`${field}.encryptOptions[${i}]`, `Secret ${ns}/${secret} has no key "${key}"`);
    out[name] = Buffer.from(b64, 'base64').toString('utf8');
  }
  return out;
}

function connector<T extends Ufs>(make: typeof createUfs | typeof createWritableUfs, field: string, mountPoint: string, options: Record<string, string>, secrets: Record<string, string>): T {
  try {
    return make({ name: 'migrate', mountPoint, options, encryptOptionFiles: Object.fromEntries(Object.keys(secrets).map((k) => [k, k])) }, { readSecret: (k) => secrets[k] ?? '' }) as T;
  } catch (err) {
    throw new MigrateSpecError(field, err instanceof Error ? err.message : String(err));
  }
}

async function walkUfs(ufs: Ufs, path: string, base: string, out: SourceFile[]): Promise<void> {
  for (const e of await ufs.list(path)) {
    const child = path === '/' ? `/${e.name}` : `${path}/${e.name}`;
    if (e.kind === 'directory') await walkUfs(ufs, child, base, out);
    else out.push({ rel: base === '/' ? child : child.slice(base.length), size: e.size });
  }
}

/** A dataset's mount that holds dataset path `p`, and the path inside it. */
function mountFor(ds: KubeObject, p: string, field: string): { mount: Record<string, unknown>; sub: string } {
  for (const m of arr(rec(ds.spec)?.['mounts']).map(rec)) {
    if (!m) continue;
    const at = str(m['path']) ?? `/${str(m['name']) ?? ''}`;
    if (at === '/') return { mount: m, sub: p };
    if (p === at || p.startsWith(`${at}/`)) return { mount: m, sub: p.slice(at.length) || '/' };
  }
  throw new MigrateSpecError(field, `"${p}" is not under any mount of dataset ${ds.metadata.namespace ?? ''}/${ds.metadata.name} (a path starts with a mount's path, e.g. /<mount name>/...)`);
}

function datasetSource(master: MasterClient, root: string): Source {
  return {
    async list() {
      let files;
      try {
        files = await walkFiles(master, root);
      } catch (err) {
        throw new MigrateSpecError('spec.from.dataset.path', err instanceof Error ? err.message : String(err));
      }
      return files.map((f) => ({ rel: root === '/' ? f.path : f.path.slice(root.replace(/\/+$/, '').length) || `/${f.name}`, size: f.size }));
    },
    async read(f) {
      const path = join(root, f.rel);
      const out = new Uint8Array(f.size);
      const first = await master.getBlockInfo(path);
      for (const [i, b0] of first.blocks.entries()) {
        // A worker that restarted (or moved) is unreachable for a moment: ask the master again where
        // the block is and which workers live, a bounded number of times, before failing the run.
        for (let attempt = 1; ; attempt++) {
          const info = attempt === 1 ? first : await master.getBlockInfo(path);
          const b = info.blocks[i] ?? b0;
          const { workers } = await master.workers();
          const address = b.locations[0]?.address ?? workers[b.index % Math.max(1, workers.length)]?.address;
          try {
            if (address === undefined) throw new RpcUnreachableError('(none)', 'no live worker to read through');
            const r = await new WorkerClient(address, master.credential).readBlock(blockRefOf(info, b));
            out.set(r.bytes, b.offset);
            break;
          } catch (err) {
            if (!(err instanceof RpcUnreachableError) || attempt >= READ_ATTEMPTS) throw err;
            await new Promise((r) => setTimeout(r, 500 * attempt));
          }
        }
      }
      return out;
    },
    close: () => Promise.resolve(),
  };
}

function ufsSource(ufs: Ufs, root: string, field: string, describe: string): Source {
  return {
    async list() {
      const out: SourceFile[] = [];
      try {
        const st = await ufs.stat(root);
        if (st.kind === 'file') return [{ rel: `/${st.name}`, size: st.size }];
        await walkUfs(ufs, root, root, out);
      } catch (err) {
        throw new MigrateSpecError(field, `cannot list ${describe}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return out;
    },
    async read(f) {
      const p = root === '/' || f.rel === root ? f.rel : join(root, f.rel);
      return ufs.read(p, 0, f.size);
    },
    close: () => ufs.close(),
  };
}

function ufsSink(ufs: WritableUfs, root: string, field: string, describe: string, finish: () => Promise<void>): Sink {
  return {
    field, describe,
    async entries() {
      try {
        const st = await ufs.stat(root);
        return st.kind === 'file' ? 1 : (await ufs.list(root)).length;
      } catch (err) {
        if (err instanceof UfsNotFoundError) return 0;
        throw new MigrateSpecError(field, `cannot reach ${describe}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    async sizeOf(rel) {
      try {
        const st = await ufs.stat(join(root, rel));
        return st.kind === 'file' ? st.size : undefined;
      } catch (err) {
        if (err instanceof UfsNotFoundError) return undefined;
        throw err;
      }
    },
    write: (rel, bytes) => ufs.writeFile(join(root, rel), bytes),
    finish,
    close: () => ufs.close(),
  };
}

/** spec.options without the ones DataMigrate itself reads: the external storage's connector options (e.g. aws.endpoint). */
function storageOptions(spec: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(rec(spec['options']) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'overwrite'));
}

async function openSource(side: Side, env: OperationRun, options: Record<string, string>): Promise<Source> {
  if (side.dataset) return datasetSource(env.master, side.dataset.path);
  const ext = side.external ?? { uri: '', encryptOptions: [] };
  const secrets = await secretValues(env.client, env.namespace, 'spec.from.externalStorage', ext.encryptOptions);
  const field = 'spec.from.externalStorage.uri';
  return ufsSource(connector<Ufs>(createUfs, field, ext.uri, options, secrets), '/', field, ext.uri);
}

async function openSink(side: Side, env: OperationRun, extOptions: Record<string, string>): Promise<Sink> {
  if (side.dataset) {
    const field = 'spec.to.dataset.path';
    const { namespace, name, path } = side.dataset;
    const ds = await env.client.get<KubeObject>(R.dataset, namespace, name);
    if (!ds) throw new MigrateSpecError('spec.to.dataset', `dataset ${namespace}/${name} does not exist`);
    const { mount, sub } = mountFor(ds, path, field);
    const mountPoint = str(mount['mountPoint']) ?? '';
    const secrets = await secretValues(env.client, namespace, field, arr(mount['encryptOptions']));
    const options = Object.fromEntries(Object.entries(rec(mount['options']) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const ufs = connector<WritableUfs>(createWritableUfs, field, mountPoint, options, secrets);
    return ufsSink(ufs, sub, field, `dataset ${namespace}/${name} path ${path}`, async () => { await env.master.loadMetadata(path, true); });
  }
  const ext = side.external ?? { uri: '', encryptOptions: [] };
  const field = 'spec.to.externalStorage.uri';
  const secrets = await secretValues(env.client, env.namespace, 'spec.to.externalStorage', ext.encryptOptions);
  return ufsSink(connector<WritableUfs>(createWritableUfs, field, ext.uri, extOptions, secrets), '/', field, ext.uri, () => Promise.resolve());
}

export const dataMigrateExecutor: OperationExecutor = {
  kind: 'DataMigrate',
  resource: R.dataMigrate,
  dataset(spec, ns) {
    const from = sideOf(spec['from'], ns);
    const d = from.dataset ?? sideOf(spec['to'], ns).dataset;
    return { name: d?.name ?? '', namespace: d?.namespace ?? ns };
  },
  describe(spec) {
    const name = (v: unknown): string => {
      const s = sideOf(v, '');
      return s.dataset ? `dataset ${s.dataset.name}:${s.dataset.path}` : s.external?.uri ?? '?';
    };
    return `migrating ${name(spec['from'])} to ${name(spec['to'])}`;
  },
  startStatus: () => ({ progress: { migratedBytes: 0, migratedFiles: 0 } }),
  async run(spec, env) {
    const from = sideOf(spec['from'], env.namespace);
    const to = sideOf(spec['to'], env.namespace);
    const resumed = str(env.status['phase']) === 'Executing';
    const overwrite = str(rec(spec['options'])?.['overwrite']) === 'true';
    const parallelism = Math.max(1, num(spec['parallelism']) ?? 1);
    const source = await openSource(from, env, storageOptions(spec));
    let sink: Sink | undefined;
    try {
      sink = await openSink(to, env, storageOptions(spec));
      const files = await source.list();
      const existing = await sink.entries();
      if (!resumed && existing > 0 && !overwrite) {
        throw new MigrateSpecError(sink.field, `the destination ${sink.describe} already exists (${existing} entr${existing === 1 ? 'y' : 'ies'}); set spec.options.overwrite: "true" to replace it`);
      }
      const totalBytes = files.reduce((s, f) => s + f.size, 0);
      let migratedBytes = 0;
      let migratedFiles = 0;
      let kept = 0;
      await env.progress({ progress: { migratedBytes, migratedFiles, totalBytes, totalFiles: files.length } });
      let next = 0;
      const out = sink;
      await Promise.all(Array.from({ length: Math.min(parallelism, files.length) }, async () => {
        while (next < files.length) {
          const f = files[next++] as SourceFile;
          if (resumed && (await out.sizeOf(f.rel)) === f.size) {
            kept++;
          } else {
            const bytes = await source.read(f);
            if (bytes.length !== f.size) throw new Error(`${f.rel}: read ${bytes.length} bytes, expected ${f.size} (the source changed during the migration)`);
            await out.write(f.rel, bytes);
          }
          migratedFiles++;
          migratedBytes += f.size;
          await env.progress({ progress: { migratedBytes, migratedFiles, totalBytes, totalFiles: files.length } });
        }
      }));
      await out.finish();
      return {
        status: {
          progress: { migratedBytes, migratedFiles, totalBytes, totalFiles: files.length },
          infos: { migratedFiles: String(migratedFiles), migratedBytes: String(migratedBytes), keptFromEarlierRun: String(kept) },
        },
        message: `migrated ${migratedFiles} file(s), ${migratedBytes} bytes${kept > 0 ? ` (${kept} already copied before a restart were kept)` : ''}`,
      };
    } finally {
      await source.close().catch(() => undefined);
      await sink?.close().catch(() => undefined);
    }
  },
};
