// SPDY/3.1 framing (the protocol the kube-apiserver speaks to the kubelet for exec): pure encode and
// an incremental decoder. Facts from the SPDY/3.1 draft: every frame has an 8-byte header. A control
// frame: bit 0 set, 15-bit version (3), 16-bit type, 8-bit flags, 24-bit length. A data frame: bit 0
// clear, 31-bit stream id, 8-bit flags, 24-bit length. Header blocks travel compressed (see
// header-block.ts); this module carries them as opaque bytes, so it needs no zlib.
// Stream ids and other 31-bit fields ignore their reserved top bit on input and write it as 0.

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1, SYN_REPLY: 2, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, HEADERS: 8, WINDOW_UPDATE: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = {
  PROTOCOL_ERROR: 1, INVALID_STREAM: 2, REFUSED_STREAM: 3, UNSUPPORTED_VERSION: 4, CANCEL: 5,
  INTERNAL_ERROR: 6, FLOW_CONTROL_ERROR: 7, STREAM_IN_USE: 8, STREAM_ALREADY_CLOSED: 9, FRAME_TOO_LARGE: 11,
} as const;

/** GOAWAY status codes. */
export const GoAwayStatus = { OK: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2 } as const;

/** The largest frame payload the decoder accepts (the field allows 16 MiB - 1). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export type SpdyFrame =
  | { readonly type: 'data'; readonly streamId: number; readonly fin: boolean; readonly data: Uint8Array }
  | { readonly type: 'syn_stream'; readonly streamId: number; readonly associatedId: number; readonly priority: number; readonly fin: boolean; readonly unidirectional: boolean; readonly headerBlock: Uint8Array }
  | { readonly type: 'syn_reply'; readonly streamId: number; readonly fin: boolean; readonly headerBlock: Uint8Array }
  | { readonly type: 'rst_stream'; readonly streamId: number; readonly status: number }
  | { readonly type: 'settings'; readonly clear: boolean; readonly entries: readonly { readonly flags: number; readonly id: number; readonly value: number }[] }
  | { readonly type: 'ping'; readonly id: number }
  | { readonly type: 'goaway'; readonly lastGoodStreamId: number; readonly status: number }
  | { readonly type: 'headers'; readonly streamId: number; readonly fin: boolean; readonly headerBlock: Uint8Array }
  | { readonly type: 'window_update'; readonly streamId: number; readonly delta: number }
  /** A control frame of a type this module does not know; SPDY says to ignore it. */
  | { readonly type: 'unknown'; readonly controlType: number; readonly flags: number; readonly payload: Uint8Array };

/** The peer broke the framing: the session must end (GOAWAY PROTOCOL_ERROR). */
export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

const ID_MASK = 0x7fffffff;

function header(out: DataView, control: boolean, typeOrId: number, flags: number, length: number): void {
  if (control) {
    out.setUint16(0, 0x8000 | SPDY_VERSION);
    out.setUint16(2, typeOrId);
  } else {
    out.setUint32(0, typeOrId & ID_MASK);
  }
  out.setUint32(4, ((flags & 0xff) << 24 | (length & 0xffffff)) >>> 0);
}

function frame(control: boolean, typeOrId: number, flags: number, fixed: number, tail: Uint8Array = new Uint8Array(0)): { buf: Uint8Array; view: DataView } {
  const length = fixed + tail.length;
  if (length > MAX_FRAME_PAYLOAD) throw new RangeError(`SPDY frame payload of ${length} bytes exceeds ${MAX_FRAME_PAYLOAD}`);
  const buf = new Uint8Array(8 + length);
  const view = new DataView(buf.buffer);
  header(view, control, typeOrId, flags, length);
  buf.set(tail, 8 + fixed);
  return { buf, view };
}

export function encodeFrame(f: SpdyFrame): Uint8Array {
  const fin = 'fin' in f && f.fin ? FLAG_FIN : 0;
  switch (f.type) {
    case 'data':
      return frame(false, f.streamId, fin, 0, f.data).buf;
    case 'syn_stream': {
      const { buf, view } = frame(true, FrameType.SYN_STREAM, fin | (f.unidirectional ? FLAG_UNIDIRECTIONAL : 0), 10, f.headerBlock);
      view.setUint32(8, f.streamId & ID_MASK);
      view.setUint32(12, f.associatedId & ID_MASK);
      view.setUint8(16, (f.priority & 0x7) << 5);
      view.setUint8(17, 0);
      return buf;
    }
    case 'syn_reply':
    case 'headers': {
      const { buf, view } = frame(true, f.type === 'syn_reply' ? FrameType.SYN_REPLY : FrameType.HEADERS, fin, 4, f.headerBlock);
      view.setUint32(8, f.streamId & ID_MASK);
      return buf;
    }
    case 'rst_stream': {
      const { buf, view } = frame(true, FrameType.RST_STREAM, 0, 8);
      view.setUint32(8, f.streamId & ID_MASK);
      view.setUint32(12, f.status >>> 0);
      return buf;
    }
    case 'settings': {
      const { buf, view } = frame(true, FrameType.SETTINGS, f.clear ? 1 : 0, 4 + 8 * f.entries.length);
      view.setUint32(8, f.entries.length);
      f.entries.forEach((e, i) => {
        view.setUint32(12 + 8 * i, ((e.flags & 0xff) << 24 | (e.id & 0xffffff)) >>> 0);
        view.setUint32(16 + 8 * i, e.value >>> 0);
      });
      return buf;
    }
    case 'ping': {
      const { buf, view } = frame(true, FrameType.PING, 0, 4);
      view.setUint32(8, f.id >>> 0);
      return buf;
    }
    case 'goaway': {
      const { buf, view } = frame(true, FrameType.GOAWAY, 0, 8);
      view.setUint32(8, f.lastGoodStreamId & ID_MASK);
      view.setUint32(12, f.status >>> 0);
      return buf;
    }
    case 'window_update': {
      const { buf, view } = frame(true, FrameType.WINDOW_UPDATE, 0, 8);
      view.setUint32(8, f.streamId & ID_MASK);
      view.setUint32(12, f.delta & ID_MASK);
      return buf;
    }
    case 'unknown':
      return frame(true, f.controlType, f.flags, 0, f.payload).buf;
  }
}

function need(type: string, payload: Uint8Array, min: number, exact = false): void {
  if (payload.length < min || (exact && payload.length !== min)) {
    throw new SpdyProtocolError(`${type} frame with a payload of ${payload.length} bytes (expected ${exact ? '' : 'at least '}${min})`);
  }
}

function decodeControl(type: number, flags: number, p: Uint8Array): SpdyFrame {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case FrameType.SYN_STREAM:
      need('SYN_STREAM', p, 10);
      return {
        type: 'syn_stream', streamId: v.getUint32(0) & ID_MASK, associatedId: v.getUint32(4) & ID_MASK,
        priority: v.getUint8(8) >> 5, fin, unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0, headerBlock: p.slice(10),
      };
    case FrameType.SYN_REPLY:
    case FrameType.HEADERS:
      need(type === FrameType.SYN_REPLY ? 'SYN_REPLY' : 'HEADERS', p, 4);
      return { type: type === FrameType.SYN_REPLY ? 'syn_reply' : 'headers', streamId: v.getUint32(0) & ID_MASK, fin, headerBlock: p.slice(4) };
    case FrameType.RST_STREAM:
      need('RST_STREAM', p, 8, true);
      return { type: 'rst_stream', streamId: v.getUint32(0) & ID_MASK, status: v.getUint32(4) };
    case FrameType.SETTINGS: {
      need('SETTINGS', p, 4);
      const n = v.getUint32(0);
      need('SETTINGS', p, 4 + 8 * n, true);
      const entries = Array.from({ length: n }, (_, i) => {
        const w = v.getUint32(4 + 8 * i);
        return { flags: w >>> 24, id: w & 0xffffff, value: v.getUint32(8 + 8 * i) };
      });
      return { type: 'settings', clear: (flags & 1) !== 0, entries };
    }
    case FrameType.PING:
      need('PING', p, 4, true);
      return { type: 'ping', id: v.getUint32(0) };
    case FrameType.GOAWAY:
      need('GOAWAY', p, 8, true);
      return { type: 'goaway', lastGoodStreamId: v.getUint32(0) & ID_MASK, status: v.getUint32(4) };
    case FrameType.WINDOW_UPDATE:
      need('WINDOW_UPDATE', p, 8, true);
      return { type: 'window_update', streamId: v.getUint32(0) & ID_MASK, delta: v.getUint32(4) & ID_MASK };
    default:
      return { type: 'unknown', controlType: type, flags, payload: p.slice() };
  }
}

/**
 * Splits a byte stream into frames. push() takes any chunking of the stream and returns the frames
 * completed so far; bytes of a partial frame wait for the next push. Throws SpdyProtocolError for a
 * control frame of another version or a malformed fixed part; the session cannot continue after it.
 */
export class SpdyFrameDecoder {
  private pending: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): SpdyFrame[] {
    let buf = chunk;
    if (this.pending.length > 0) {
      buf = new Uint8Array(this.pending.length + chunk.length);
      buf.set(this.pending);
      buf.set(chunk, this.pending.length);
    }
    const out: SpdyFrame[] = [];
    let at = 0;
    while (buf.length - at >= 8) {
      const v = new DataView(buf.buffer, buf.byteOffset + at, 8);
      const w0 = v.getUint32(0);
      const w1 = v.getUint32(4);
      const flags = w1 >>> 24;
      const length = w1 & 0xffffff;
      if (buf.length - at < 8 + length) break;
      const payload = buf.subarray(at + 8, at + 8 + length);
      if ((w0 & 0x80000000) !== 0) {
        const version = (w0 >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`SPDY version ${version} (this end speaks ${SPDY_VERSION})`);
        out.push(decodeControl(w0 & 0xffff, flags, payload));
      } else {
        out.push({ type: 'data', streamId: w0 & ID_MASK, fin: (flags & FLAG_FIN) !== 0, data: payload.slice() });
      }
      at += 8 + length;
    }
    this.pending = buf.slice(at);
    return out;
  }

  /** Bytes of an incomplete frame still waiting. */
  get buffered(): number {
    return this.pending.length;
  }
}
