// Framing of journal records on disk. One frame:
//   u32 payloadLength | u32 crc32(seq bytes + payload) | u64 seq (big endian, < 2^53) | payload
// A reader accepts frames until the first one that is incomplete (torn write) or fails its
// checksum; everything from there on is the invalid tail, which the writer truncates away.
import { crc32 } from './crc32.js';

/** A CRC-32 (IEEE) implementation: `crc(data, previous)` continues a running checksum. Adapters
 * may pass a native one (zlib.crc32); the result must equal `crc32`'s. */
export type Crc32Fn = (data: Uint8Array, previous?: number) => number;

export const FRAME_HEADER_BYTES = 16;
/** Guards against reading a garbage length as a huge allocation. */
export const MAX_FRAME_PAYLOAD_BYTES = 1 << 30;

export interface DecodedFrame {
  readonly seq: number;
  readonly payload: Uint8Array;
  /** Byte offset of the frame's first byte in the decoded buffer. */
  readonly offset: number;
}

export interface DecodeResult {
  readonly frames: DecodedFrame[];
  /** Bytes [0, validEnd) hold only whole, checksummed frames. */
  readonly validEnd: number;
  /** Why decoding stopped before the end of the buffer (undefined if it reached the end). */
  readonly tail?: string;
}

export function encodeFrame(seq: number, payload: Uint8Array, crc: Crc32Fn = crc32): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, payload.length);
  v.setUint32(8, Math.floor(seq / 2 ** 32));
  v.setUint32(12, seq >>> 0);
  out.set(payload, FRAME_HEADER_BYTES);
  v.setUint32(4, crc(payload, crc(out.subarray(8, 16))));
  return out;
}

/** Decodes consecutive frames; sequence numbers must increase by exactly one. */
export function decodeFrames(buf: Uint8Array, crc: Crc32Fn = crc32): DecodeResult {
  const frames: DecodedFrame[] = [];
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < FRAME_HEADER_BYTES) return { frames, validEnd: off, tail: `torn header at byte ${off}` };
    const len = v.getUint32(off);
    if (len > MAX_FRAME_PAYLOAD_BYTES) return { frames, validEnd: off, tail: `implausible length ${len} at byte ${off}` };
    if (buf.length - off - FRAME_HEADER_BYTES < len) return { frames, validEnd: off, tail: `torn frame at byte ${off}` };
    const seq = v.getUint32(off + 8) * 2 ** 32 + v.getUint32(off + 12);
    const payload = buf.subarray(off + FRAME_HEADER_BYTES, off + FRAME_HEADER_BYTES + len);
    const want = v.getUint32(off + 4);
    if (crc(payload, crc(buf.subarray(off + 8, off + 16))) !== want) return { frames, validEnd: off, tail: `checksum mismatch at byte ${off}` };
    const prev = frames[frames.length - 1];
    if (prev && seq !== prev.seq + 1) return { frames, validEnd: off, tail: `sequence ${seq} after ${prev.seq} at byte ${off}` };
    frames.push({ seq, payload, offset: off });
    off += FRAME_HEADER_BYTES + len;
  }
  return { frames, validEnd: off };
}
