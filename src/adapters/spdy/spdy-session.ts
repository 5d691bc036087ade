// The server end of a SPDY/3.1 session on an upgraded socket (what the kubelet runs for the
// kube-apiserver's exec): peer-initiated streams only, each answered with SYN_REPLY at once; PINGs
// echoed; GOAWAY ends the session. Flow control: SPDY/3.1 windows are neither enforced nor
// announced: the Go peer (moby/spdystream, used by k8s.io/apimachinery) sends no WINDOW_UPDATE
// and enforces none, so honouring a 64 KiB window would stall; back-pressure is the socket's.
// Frames are written in call order, so data written before end() arrives before the FIN.
import type { Duplex } from 'node:stream';
import { GoAwayStatus, RstStatus, SpdyFrameDecoder, SpdyProtocolError, encodeFrame, type SpdyFrame } from '../../core/spdy/frames.js';
import { StoredHeaderCompressor, encodeHeaderBlock, type SpdyHeaders } from '../../core/spdy/header-block.js';
import { HeaderInflater } from './header-inflater.js';

/** DATA frames this end sends carry at most this many bytes. */
const DATA_CHUNK = 32 * 1024;

export class SpdyStream {
  /** Bytes from the peer; set by the stream's consumer. */
  onData: (data: Buffer) => void = () => {};
  /** The peer half-closed (FIN) or reset the stream. */
  onEnd: (reset: boolean) => void = () => {};
  private localClosed = false;
  remoteClosed = false;

  constructor(readonly id: number, readonly headers: SpdyHeaders, private readonly session: SpdyServerSession) {}

  header(name: string): string | undefined {
    return this.headers.get(name)?.[0];
  }

  /** Writes to the socket; false when the socket's buffer is full (wait for session.onDrain). */
  write(data: Uint8Array): boolean {
    if (this.localClosed) return true;
    let ok = true;
    for (let i = 0; i < data.length; i += DATA_CHUNK) ok = this.session.send({ type: 'data', streamId: this.id, fin: false, data: data.subarray(i, i + DATA_CHUNK) });
    return ok;
  }

  /** Half-closes this end (DATA with FIN). */
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.session.send({ type: 'data', streamId: this.id, fin: true, data: new Uint8Array(0) });
  }
}

export interface SpdySessionOptions {
  /** A new peer stream, already replied to. */
  readonly onStream: (s: SpdyStream) => void;
  /** The session is over (GOAWAY, socket closed, or a protocol error, given as `err`). */
  readonly onClose: (err?: Error) => void;
}

export class SpdyServerSession {
  private readonly decoder = new SpdyFrameDecoder();
  private readonly inflater = new HeaderInflater();
  private readonly compressor = new StoredHeaderCompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private lastStreamId = 0;
  private closed = false;
  /** The socket drained after a write returned false. */
  onDrain: () => void = () => {};

  constructor(private readonly socket: Duplex, private readonly opts: SpdySessionOptions, head?: Buffer) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('close', () => this.finish());
    socket.on('error', (err: Error) => this.finish(err));
    if (head && head.length > 0) this.receive(head);
  }

  send(f: SpdyFrame): boolean {
    if (this.closed || this.socket.destroyed) return true;
    return this.socket.write(encodeFrame(f));
  }

  /** GOAWAY, then closes the socket once written. */
  close(status: number = GoAwayStatus.OK): void {
    if (this.closed) return;
    this.send({ type: 'goaway', lastGoodStreamId: this.lastStreamId, status });
    this.socket.end();
    this.finish();
  }

  private finish(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) if (!s.remoteClosed) { s.remoteClosed = true; s.onEnd(true); }
    this.streams.clear();
    this.opts.onClose(err);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      for (const f of this.decoder.push(chunk)) this.handle(f);
    } catch (err) {
      if (!(err instanceof SpdyProtocolError)) throw err;
      this.send({ type: 'goaway', lastGoodStreamId: this.lastStreamId, status: GoAwayStatus.PROTOCOL_ERROR });
      this.socket.end();
      this.finish(err);
    }
  }

  private handle(f: SpdyFrame): void {
    switch (f.type) {
      case 'syn_stream': {
        // Peer (client) streams have odd ids that only grow.
        if (f.streamId % 2 !== 1 || f.streamId <= this.lastStreamId) {
          this.send({ type: 'rst_stream', streamId: f.streamId, status: RstStatus.PROTOCOL_ERROR });
          return;
        }
        const headers = this.inflater.inflate(f.headerBlock);
        this.lastStreamId = f.streamId;
        const s = new SpdyStream(f.streamId, headers, this);
        this.streams.set(f.streamId, s);
        this.send({ type: 'syn_reply', streamId: f.streamId, fin: false, headerBlock: this.compressor.compress(encodeHeaderBlock({})) });
        this.opts.onStream(s);
        if (f.fin) this.remoteEnd(s, false);
        return;
      }
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s || s.remoteClosed) {
          this.send({ type: 'rst_stream', streamId: f.streamId, status: RstStatus.INVALID_STREAM });
          return;
        }
        if (f.data.length > 0) s.onData(Buffer.from(f.data));
        if (f.fin) this.remoteEnd(s, false);
        return;
      }
      case 'headers':
        // Header blocks share one compression stream: always inflate, even if unused.
        this.inflater.inflate(f.headerBlock);
        if (f.fin) { const s = this.streams.get(f.streamId); if (s) this.remoteEnd(s, false); }
        return;
      case 'syn_reply':
        this.inflater.inflate(f.headerBlock);
        return;
      case 'rst_stream': {
        const s = this.streams.get(f.streamId);
        if (s) this.remoteEnd(s, true);
        return;
      }
      case 'ping':
        // Echo the peer's pings (odd ids from a client); an even id would answer one of ours: none sent.
        if (f.id % 2 === 1) this.send(f);
        return;
      case 'goaway':
        this.socket.end();
        this.finish();
        return;
      case 'settings':
      case 'window_update':
      case 'unknown':
        return;
    }
  }

  private remoteEnd(s: SpdyStream, reset: boolean): void {
    if (s.remoteClosed) return;
    s.remoteClosed = true;
    s.onEnd(reset);
  }
}
