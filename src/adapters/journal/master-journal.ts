// Chooses and opens the master's journal from its MasterConfig: one peer (or none) = the file
// journal in journalDir; 3 or 5 peers = the embedded Raft journal. A single master whose
// `alluxio.master.journal.type` (or `fluid.master.journal.type`) is EMBEDDED runs a one-member Raft
// group instead of the file journal. This is the JournalFactory the master process is started with.
import type { MasterConfig } from '../../api/engine-config.js';
import type { Logger } from '../apiserver/logger.js';
import type { RpcServer } from '../rpc/rpc-server.js';
import type { Journal } from '../../core/master/journal-port.js';
import type { MasterStateMachine } from '../../core/master/master-state-machine.js';
import { FileJournal } from './file-journal.js';
import { journalProperties } from './journal-properties.js';
import { RaftJournal } from './raft-journal.js';

export function openMasterJournal(sm: MasterStateMachine, ctx: { config: MasterConfig; server: RpcServer; log: Logger }): Promise<Journal> {
  const { config, log } = ctx;
  const props = journalProperties(config.properties);
  const type = (config.properties['fluid.master.journal.type'] ?? config.properties['alluxio.master.journal.type'] ?? 'UFS').toUpperCase();
  if (type !== 'UFS' && type !== 'LOCAL' && type !== 'EMBEDDED') {
    return Promise.reject(new RangeError(`property alluxio.master.journal.type: expected UFS, LOCAL or EMBEDDED, got "${type}"`));
  }
  const peers = config.peers;
  if (peers.length <= 1 && type === 'EMBEDDED') {
    const self = peers[0] ?? { id: config.id, address: `${config.host}:${config.port}` };
    return Promise.resolve(RaftJournal.start(sm, { config: { ...config, peers: [self] }, server: ctx.server, props, log: log.child({ journal: 'raft' }) }));
  }
  if (peers.length <= 1) {
    return Promise.resolve(new FileJournal(sm, { dir: config.journalDir, selfId: config.id, props, log: log.child({ journal: 'file' }) }));
  }
  if (peers.length !== 3 && peers.length !== 5) {
    return Promise.reject(new RangeError(`peers: the Raft journal needs 3 or 5 masters, got ${peers.length}`));
  }
  if (!peers.some((p) => p.id === config.id)) {
    return Promise.reject(new RangeError(`peers: must include this master's id "${config.id}"`));
  }
  return Promise.resolve(RaftJournal.start(sm, { config, server: ctx.server, props, log: log.child({ journal: 'raft' }) }));
}
