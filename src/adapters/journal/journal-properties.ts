// Journal tunables from MasterConfig.properties (fluid keys, plus the Alluxio keys that exist).
import { parseDurationMs, parseSize, propertyOr } from '../../core/blockstore/size-parse.js';

export interface JournalProperties {
  /** Checkpoint after this many journal entries since the last checkpoint. */
  readonly checkpointEntries: number;
  /** ... or after the log has grown by this many bytes. */
  readonly checkpointBytes: number;
  /** Segment files roll over at this size (bytes). */
  readonly segmentBytes: number;
  /** Wipe the journal before starting (Alluxio `alluxio master format` on start). */
  readonly formatOnStart: boolean;
  /** Raft: one tick (ms). Heartbeats go out every tick. */
  readonly raftTickMs: number;
  /** Raft: election timeout in ticks (randomized in [n, 2n)). */
  readonly raftElectionTicks: number;
}

function positiveInt(v: string, key: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`property ${key}: expected a positive integer, got "${v}"`);
  return n;
}

function bool(v: string, key: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new RangeError(`property ${key}: expected true or false, got "${v}"`);
}

export function journalProperties(p: Readonly<Record<string, string>>): JournalProperties {
  const electionMs = propertyOr(p, ['fluid.master.raft.election.timeout', 'alluxio.master.embedded.journal.election.timeout.min'], parseDurationMs, 500);
  const tickMs = propertyOr(p, ['fluid.master.raft.heartbeat.interval', 'alluxio.master.embedded.journal.heartbeat.interval'], parseDurationMs, 100);
  if (tickMs < 10 || electionMs < 2 * tickMs) throw new RangeError(`properties fluid.master.raft.*: need heartbeat >= 10ms and election timeout >= 2 heartbeats, got ${tickMs}ms / ${electionMs}ms`);
  return {
    checkpointEntries: propertyOr(p, ['fluid.master.journal.checkpoint.period.entries', 'alluxio.master.journal.checkpoint.period.entries'], positiveInt, 100_000),
    checkpointBytes: propertyOr(p, ['fluid.master.journal.checkpoint.period.bytes'], parseSize, 256 * 1024 * 1024),
    segmentBytes: propertyOr(p, ['fluid.master.journal.log.size.bytes.max', 'alluxio.master.journal.log.size.bytes.max'], parseSize, 64 * 1024 * 1024),
    formatOnStart: propertyOr(p, ['fluid.master.journal.format'], bool, false),
    raftTickMs: tickMs,
    raftElectionTicks: Math.max(2, Math.round(electionMs / tickMs)),
  };
}
