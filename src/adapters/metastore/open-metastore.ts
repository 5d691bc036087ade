// Opens the metastore chosen by the master's properties (see metastore-config.ts). The master
// passes `nodeStores` to its MasterStateMachine and calls close() after it stopped.
import { heapNodeStores, type NodeStoreFactory } from '../../core/master/node-store.js';
import { metastoreConfig, type MetastoreKind } from './metastore-config.js';
import { SqliteMetastore } from './sqlite-node-store.js';

export interface Metastore {
  readonly kind: MetastoreKind;
  /** Database directory, '' for HEAP. */
  readonly dir: string;
  readonly nodeStores: NodeStoreFactory;
  close(): void;
}

/** Throws MetastoreConfigError for a bad property before anything is created. SQLITE formats its directory. */
export function openMetastore(props: Readonly<Record<string, string>>, journalDir: string): Metastore {
  const cfg = metastoreConfig(props, journalDir);
  if (cfg.kind === 'HEAP') return { kind: 'HEAP', dir: '', nodeStores: heapNodeStores, close: () => undefined };
  const db = new SqliteMetastore(cfg.dir);
  return { kind: 'SQLITE', dir: cfg.dir, nodeStores: db.nodeStores, close: () => { db.close(); } };
}
