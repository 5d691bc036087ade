// The receiving half of SPDY/3 header compression: the peer's header blocks form one zlib stream
// (primed with SPDY3_HEADER_DICTIONARY, sync-flushed after each block). node:zlib has no
// synchronous streaming inflate, so each block is decoded by inflating the whole stream so far and
// taking the new output: quadratic, which is why the total is capped (an exec session carries five
// blocks of some tens of bytes).
import { constants, inflateSync } from 'node:zlib';
import { SPDY3_HEADER_DICTIONARY } from '../../core/spdy/dictionary.js';
import { SpdyProtocolError } from '../../core/spdy/frames.js';
import { MAX_HEADER_BLOCK, decodeHeaderBlock, type SpdyHeaders } from '../../core/spdy/header-block.js';

/** Compressed header bytes one session may send this end in all. */
export const MAX_COMPRESSED_HEADERS = 256 * 1024;

export class HeaderInflater {
  private input: Buffer = Buffer.alloc(0);
  private produced = 0;

  inflate(compressed: Uint8Array): SpdyHeaders {
    if (compressed.length === 0) return new Map();
    this.input = Buffer.concat([this.input, compressed]);
    if (this.input.length > MAX_COMPRESSED_HEADERS) throw new SpdyProtocolError(`more than ${MAX_COMPRESSED_HEADERS} bytes of compressed headers in one session`);
    let all: Buffer;
    try {
      all = inflateSync(this.input, { dictionary: SPDY3_HEADER_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: this.produced + MAX_HEADER_BLOCK });
    } catch (err) {
      throw new SpdyProtocolError(`header block does not inflate: ${err instanceof Error ? err.message : String(err)}`);
    }
    const block = all.subarray(this.produced);
    this.produced = all.length;
    return decodeHeaderBlock(block);
  }
}
