// The trivial journal: this process is the only master and always the leader; entries are applied
// immediately, in call order, and lost on restart (the namespace reloads from the UFS and workers
// re-register, so nothing is lost that cannot be rebuilt).
import type { Journal, ReplicatedStateMachine } from './journal-port.js';
import type { MasterEntry, MasterEntryResult } from './master-entry.js';

export class InProcessJournal implements Journal {
  constructor(private readonly sm: ReplicatedStateMachine<MasterEntry, MasterEntryResult, unknown>, private readonly selfId: string) {}

  propose(entry: MasterEntry): Promise<MasterEntryResult> {
    try {
      return Promise.resolve(this.sm.apply(entry));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  leaderId(): string {
    return this.selfId;
  }

  isLeader(): boolean {
    return true;
  }
}
