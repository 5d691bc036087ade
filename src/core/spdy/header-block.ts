// SPDY/3 header blocks. Uncompressed form: a 32-bit count of pairs, then per pair a 32-bit name
// length, the name (lower case), a 32-bit value length and the value; several values of one name
// are joined by NUL. On the wire each direction of a session is ONE zlib stream primed with
// SPDY3_HEADER_DICTIONARY, flushed (sync flush) at the end of every header block.
//
// This end compresses with stored (uncompressed) deflate blocks: a valid zlib stream that any
// inflater primed with the dictionary reads, and that needs no zlib here (headers this end sends
// are a few bytes). Decompressing the peer's blocks needs a real inflater: adapters/spdy.
import { SPDY3_HEADER_DICTIONARY } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

/** Header name -> values, in the order received. Names are lower case. */
export type SpdyHeaders = ReadonlyMap<string, readonly string[]>;

/** Largest uncompressed header block accepted from a peer. */
export const MAX_HEADER_BLOCK = 64 * 1024;

export function encodeHeaderBlock(headers: Readonly<Record<string, string | readonly string[]>>): Uint8Array {
  const enc = new TextEncoder();
  const pairs = Object.entries(headers).map(([k, v]) => [enc.encode(k.toLowerCase()), enc.encode(typeof v === 'string' ? v : v.join('\0'))] as const);
  const size = 4 + pairs.reduce((n, [k, v]) => n + 8 + k.length + v.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, pairs.length);
  let at = 4;
  for (const [k, v] of pairs) {
    view.setUint32(at, k.length);
    out.set(k, at + 4);
    at += 4 + k.length;
    view.setUint32(at, v.length);
    out.set(v, at + 4);
    at += 4 + v.length;
  }
  return out;
}

/** Parses one uncompressed header block; SpdyProtocolError when it does not add up. */
export function decodeHeaderBlock(block: Uint8Array): SpdyHeaders {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const dec = new TextDecoder();
  const fail = (why: string): never => { throw new SpdyProtocolError(`header block: ${why}`); };
  if (block.length < 4) fail('shorter than its pair count');
  const n = view.getUint32(0);
  let at = 4;
  const read = (what: string): string => {
    if (block.length - at < 4) fail(`truncated before a ${what} length`);
    const len = view.getUint32(at);
    if (block.length - at - 4 < len) fail(`${what} of ${len} bytes overruns the block`);
    const s = dec.decode(block.subarray(at + 4, at + 4 + len));
    at += 4 + len;
    return s;
  };
  const out = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const name = read('name');
    if (name === '') fail('empty header name');
    const values = read('value').split('\0');
    out.set(name, [...(out.get(name) ?? []), ...values]);
  }
  if (at !== block.length) fail(`${block.length - at} bytes after the last pair`);
  return out;
}

/** zlib's Adler-32 checksum (RFC 1950), here of the dictionary (the stream's DICTID). */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i += 5552) {
    const end = Math.min(i + 5552, data.length);
    for (let j = i; j < end; j++) {
      a += data[j] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const STORED_MAX = 0xffff;
const EMPTY_STORED = new Uint8Array([0x00, 0x00, 0x00, 0xff, 0xff]);

/**
 * The sending half of a session's header compression: each call returns the bytes to put in the
 * frame. The first call starts the zlib stream (CMF 0x78, FLG with FDICT, the dictionary's Adler-32);
 * each block is then deflate stored blocks (BFINAL 0) and an empty stored block, byte-aligned, as a
 * sync flush leaves the stream. Pure: the output depends only on the blocks given so far.
 */
export class StoredHeaderCompressor {
  private started = false;

  compress(block: Uint8Array): Uint8Array {
    const chunks = Math.max(1, Math.ceil(block.length / STORED_MAX));
    const prefix = this.started ? 0 : 6;
    const out = new Uint8Array(prefix + chunks * 5 + block.length + EMPTY_STORED.length);
    const view = new DataView(out.buffer);
    if (!this.started) {
      // 0x7820 = 30752 = 31 * 992: FCHECK 0 makes the header a multiple of 31 with FDICT (0x20) set.
      out[0] = 0x78;
      out[1] = 0x20;
      view.setUint32(2, adler32(SPDY3_HEADER_DICTIONARY));
      this.started = true;
    }
    let at = prefix;
    for (let i = 0; i < chunks; i++) {
      const part = block.subarray(i * STORED_MAX, Math.min(block.length, (i + 1) * STORED_MAX));
      out[at] = 0x00; // BFINAL 0, BTYPE 00 (stored), then padding to the byte
      view.setUint16(at + 1, part.length, true);
      view.setUint16(at + 3, ~part.length & 0xffff, true);
      out.set(part, at + 5);
      at += 5 + part.length;
    }
    // An empty stored block ends the block as zlib's sync flush does: inflaters (Go's compress/flate)
    // hand out a stored block's bytes only once the next block starts.
    out.set(EMPTY_STORED, at);
    return out;
  }
}
