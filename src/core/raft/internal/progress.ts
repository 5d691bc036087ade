// Leader's view of one follower's replication (etcd's Progress, simplified: no inflight window).
// probe: one append in flight until answered; replicate: stream optimistically;
// snapshot: wait for the snapshot to be acknowledged (or time out back to probe).
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** probe: an append is in flight. */
  probeSent = false;
  pendingSnapshot = 0;
  /** Ticks spent in snapshot state. */
  snapshotTicks = 0;
  /** Heard from within the current check-quorum interval. */
  recentActive = false;

  constructor(next: number) {
    this.next = next;
  }

  becomeProbe(): void {
    if (this.state === 'snapshot') {
      this.next = Math.max(this.match + 1, this.pendingSnapshot + 1);
    } else {
      this.next = this.match + 1;
    }
    this.state = 'probe';
    this.probeSent = false;
    this.pendingSnapshot = 0;
  }

  becomeReplicate(): void {
    this.state = 'replicate';
    this.next = this.match + 1;
    this.probeSent = false;
  }

  becomeSnapshot(index: number): void {
    this.state = 'snapshot';
    this.pendingSnapshot = index;
    this.snapshotTicks = 0;
    this.probeSent = false;
  }

  /** Success ack for `n`; returns true if it advanced match. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) { this.match = n; updated = true; this.probeSent = false; }
    this.next = Math.max(this.next, n + 1);
    return updated;
  }

  /** Rejection of an append at prev index `rejected`; returns false if the rejection is stale. */
  maybeDecrTo(rejected: number, probeIndex: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, probeIndex + 1), this.match + 1, 1);
    this.probeSent = false;
    return true;
  }

  isPaused(): boolean {
    return this.state === 'snapshot' || (this.state === 'probe' && this.probeSent);
  }
}
