// Raft messages between masters: POST /rpc/raft {messages} on the peer's RPC listener. One
// request in flight per peer; messages queued meanwhile go in the next batch. Delivery is best
// effort: a failed batch is dropped (Raft retransmits), so a dead peer never blocks the others.
// Snapshots (which can be hundreds of MiB) go on their own: POST /raft/snapshot, the raw bytes as
// the body and the message (without data) base64-JSON in the x-raft-message header.
import type { Message, MessageType } from '../../core/raft/types.js';
import { InvalidRequestError } from '../../core/master/master-errors.js';
import { callRpc, httpExchange } from '../rpc/rpc-client.js';
import type { EngineCredential } from '../rpc/engine-credential.js';

export const SNAPSHOT_PATH = '/raft/snapshot';
export const SNAPSHOT_HEADER = 'x-raft-message';

/** Message as JSON: the snapshot's bytes travel as base64. */
type WireMessage = Omit<Message, 'snapshot'> & { snapshot?: { index: number; term: number; data: string } };

const TYPES: ReadonlySet<MessageType> = new Set(['PreVote', 'PreVoteResp', 'Vote', 'VoteResp', 'App', 'AppResp', 'Heartbeat', 'HeartbeatResp', 'Snap']);
const MAX_QUEUED = 10_000;

export function toWire(m: Message): WireMessage {
  const { snapshot, ...rest } = m;
  return snapshot ? { ...rest, snapshot: { index: snapshot.index, term: snapshot.term, data: Buffer.from(snapshot.data).toString('base64') } } : rest;
}

/** Validates and converts one received message; throws InvalidRequestError naming the field. */
export function fromWire(x: unknown, i: number): Message {
  const o = x as Partial<WireMessage> | null;
  const at = `messages[${i}]`;
  if (!o || typeof o !== 'object') throw new InvalidRequestError(`${at}: expected an object`);
  if (!TYPES.has(o.type as MessageType)) throw new InvalidRequestError(`${at}.type: unknown message type ${JSON.stringify(o.type)}`);
  for (const f of ['from', 'to', 'term', 'logTerm', 'index', 'commit', 'rejectHint'] as const) {
    if (typeof o[f] !== 'number' || !Number.isInteger(o[f]) || o[f] < 0) throw new InvalidRequestError(`${at}.${f}: expected a non-negative integer`);
  }
  if (!Array.isArray(o.entries)) throw new InvalidRequestError(`${at}.entries: expected an array`);
  const entries = o.entries.map((e: unknown, k) => {
    const x2 = e as { index?: unknown; term?: unknown; data?: unknown } | null;
    if (!x2 || typeof x2.index !== 'number' || typeof x2.term !== 'number' || typeof x2.data !== 'string') {
      throw new InvalidRequestError(`${at}.entries[${k}]: expected { index, term, data }`);
    }
    return { index: x2.index, term: x2.term, data: x2.data };
  });
  const snap = o.snapshot;
  if (snap !== undefined && (typeof snap.index !== 'number' || typeof snap.term !== 'number' || typeof snap.data !== 'string')) {
    throw new InvalidRequestError(`${at}.snapshot: expected { index, term, data (base64) }`);
  }
  return {
    type: o.type as MessageType, from: o.from as number, to: o.to as number, term: o.term as number, logTerm: o.logTerm as number,
    index: o.index as number, entries, commit: o.commit as number, reject: o.reject === true, rejectHint: o.rejectHint as number,
    context: typeof o.context === 'string' ? o.context : '',
    ...(snap ? { snapshot: { index: snap.index, term: snap.term, data: new Uint8Array(Buffer.from(snap.data, 'base64')) } } : {}),
  };
}

export class RaftTransport {
  private readonly outbox = new Map<number, { queue: Message[]; busy: boolean }>();

  constructor(private readonly addressOf: (id: number) => string | undefined, private readonly timeoutMs: number, private readonly credential: EngineCredential) {}

  send(messages: readonly Message[]): void {
    for (const m of messages) {
      if (m.snapshot) {
        this.sendSnapshot(m);
        continue;
      }
      let box = this.outbox.get(m.to);
      if (!box) { box = { queue: [], busy: false }; this.outbox.set(m.to, box); }
      box.queue.push(m);
      if (box.queue.length > MAX_QUEUED) box.queue.splice(0, box.queue.length - MAX_QUEUED);
      this.pump(m.to);
    }
  }

  private sendSnapshot(m: Message): void {
    const address = this.addressOf(m.to);
    const snap = m.snapshot;
    if (address === undefined || !snap) return;
    const head = { ...toWire({ ...m, snapshot: { index: snap.index, term: snap.term, data: new Uint8Array() } }) };
    const header = Buffer.from(JSON.stringify(head)).toString('base64');
    httpExchange(address, 'POST', SNAPSHOT_PATH, { 'content-type': 'application/octet-stream', [SNAPSHOT_HEADER]: header }, Buffer.from(snap.data.buffer, snap.data.byteOffset, snap.data.byteLength), { timeoutMs: 120_000, credential: this.credential })
      .catch(() => undefined);
  }

  private pump(to: number): void {
    const box = this.outbox.get(to);
    const address = this.addressOf(to);
    if (!box || box.busy || box.queue.length === 0 || address === undefined) return;
    const batch = box.queue;
    box.queue = [];
    box.busy = true;
    callRpc(address, 'raft', { messages: batch.map(toWire) }, { timeoutMs: this.timeoutMs, credential: this.credential })
      .catch(() => undefined)
      .finally(() => {
        box.busy = false;
        this.pump(to);
      });
  }
}

/** Rebuilds a snapshot message from the header and the body of POST /raft/snapshot. */
export function snapshotFromWire(header: string | undefined, body: Uint8Array): Message {
  if (!header) throw new InvalidRequestError(`${SNAPSHOT_HEADER}: header required`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    throw new InvalidRequestError(`${SNAPSHOT_HEADER}: expected base64 JSON of the message`);
  }
  const m = fromWire(parsed, 0);
  if (m.type !== 'Snap' || !m.snapshot) throw new InvalidRequestError(`${SNAPSHOT_HEADER}: expected a Snap message with snapshot { index, term }`);
  return { ...m, snapshot: { index: m.snapshot.index, term: m.snapshot.term, data: body } };
}
