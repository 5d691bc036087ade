// The SPDY/3.1 codec (src/core/spdy, src/adapters/spdy/header-inflater.ts), data-driven from
// testdata/spdy-codec.txt. Each case: command lines, a "----" line, the exact expected output, ended
// by a blank line. Every case starts with fresh header compression state on both ends.
//   encode JSON        encodes one frame (the SpdyFrame object; byte fields as hex strings): hex
//   decode HEX         decodes a byte string: one line per frame, `error: ...` for a protocol error
//   split N HEX        as decode, fed to the decoder N bytes at a time
//   send k=v,...       a header block through this end's compressor: the compressed bytes as hex,
//                      then the block inflated by a fresh-per-case HeaderInflater (the peer's view)
//   peer k=v,...       a header block from a real zlib peer (node:zlib deflate primed with the
//                      dictionary, sync flush per block, one stream per case), inflated here
//   block HEX          decodes an uncompressed header block
// FLUID_REWRITE=1 rewrites the file from the implementation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, createDeflate, inflateSync, type Deflate } from 'node:zlib';
import fc from 'fast-check';
import { SPDY3_HEADER_DICTIONARY } from '../../../src/core/spdy/dictionary.js';
import { SpdyFrameDecoder, SpdyProtocolError, encodeFrame, type SpdyFrame } from '../../../src/core/spdy/frames.js';
import { StoredHeaderCompressor, adler32, decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from '../../../src/core/spdy/header-block.js';
import { HeaderInflater } from '../../../src/adapters/spdy/header-inflater.js';
import { repoDir } from '../api/fixtures.js';

const script = join(repoDir, 'test/unit/spdy/testdata/spdy-codec.txt');

const hex = (b: Uint8Array): string => (Buffer.from(b).toString('hex').match(/.{1,8}/g) ?? []).join(' ');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function show(f: SpdyFrame): string {
  return Object.entries(f).map(([k, v]) => `${k}=${v instanceof Uint8Array ? `[${hex(v)}]` : JSON.stringify(v)}`).join(' ');
}

function showHeaders(h: SpdyHeaders): string {
  return [...h].map(([k, vs]) => `${k}: ${vs.map((v) => JSON.stringify(v)).join(', ')}`).join('\n') || '(no headers)';
}

function parseFrame(json: string): SpdyFrame {
  const o = JSON.parse(json) as Record<string, unknown>;
  for (const k of ['data', 'headerBlock', 'payload']) if (typeof o[k] === 'string') o[k] = unhex(o[k]);
  return o as unknown as SpdyFrame;
}

function parsePairs(s: string): Record<string, string> {
  return Object.fromEntries(s.split(',').filter((x) => x !== '').map((kv) => { const i = kv.indexOf('='); return [kv.slice(0, i), kv.slice(i + 1)]; }));
}

function decodeAll(bytes: Uint8Array, step: number): string {
  const d = new SpdyFrameDecoder();
  const out: string[] = [];
  try {
    for (let i = 0; i < bytes.length; i += step) out.push(...d.push(bytes.subarray(i, i + step)).map(show));
    if (d.buffered > 0) out.push(`(${d.buffered} bytes wait for the rest of a frame)`);
  } catch (err) {
    if (!(err instanceof SpdyProtocolError)) throw err;
    out.push(`error: ${err.message}`);
  }
  return out.join('\n') || '(no frames)';
}

interface CaseState { compressor: StoredHeaderCompressor; ourPeer: HeaderInflater; theirInflater: HeaderInflater; deflate?: Deflate }

async function peerCompress(st: CaseState, block: Uint8Array): Promise<Uint8Array> {
  st.deflate ??= createDeflate({ dictionary: SPDY3_HEADER_DICTIONARY });
  const z = st.deflate;
  const chunks: Buffer[] = [];
  const onData = (c: Buffer): void => { chunks.push(c); };
  z.on('data', onData);
  z.write(block);
  await new Promise<void>((resolve) => z.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  z.off('data', onData);
  return Buffer.concat(chunks);
}

async function run(st: CaseState, line: string): Promise<string> {
  const i = line.indexOf(' ');
  const cmd = i < 0 ? line : line.slice(0, i);
  const arg = i < 0 ? '' : line.slice(i + 1).trim();
  switch (cmd) {
    case 'encode': return hex(encodeFrame(parseFrame(arg)));
    case 'decode': return decodeAll(unhex(arg), Number.MAX_SAFE_INTEGER);
    case 'split': {
      const j = arg.indexOf(' ');
      return decodeAll(unhex(arg.slice(j + 1)), Number(arg.slice(0, j)));
    }
    case 'send': {
      const z = st.compressor.compress(encodeHeaderBlock(parsePairs(arg)));
      return `${hex(z)}\n${showHeaders(st.ourPeer.inflate(z))}`;
    }
    case 'peer': return showHeaders(st.theirInflater.inflate(await peerCompress(st, encodeHeaderBlock(parsePairs(arg)))));
    case 'block':
      try {
        return showHeaders(decodeHeaderBlock(unhex(arg)));
      } catch (err) {
        if (!(err instanceof SpdyProtocolError)) throw err;
        return `error: ${err.message}`;
      }
    default: return `unknown command ${cmd}`;
  }
}

test('GIVEN the cases of testdata/spdy-codec.txt WHEN each is run THEN the output is exactly the expected one', async () => {
  const text = readFileSync(script, 'utf8');
  const out: { cmds: string; expected: string; got: string }[] = [];
  for (const c of text.split(/\n\n+/).filter((x) => x.trim() !== '')) {
    const [cmds = '', expected = ''] = c.split(/\n----(?:\n|$)/);
    const st: CaseState = { compressor: new StoredHeaderCompressor(), ourPeer: new HeaderInflater(), theirInflater: new HeaderInflater() };
    const got: string[] = [];
    for (const l of cmds.split('\n').filter((x) => x.trim() !== '' && !x.startsWith('#'))) got.push(await run(st, l));
    st.deflate?.close();
    out.push({ cmds, expected: expected.trimEnd(), got: got.join('\n') });
  }
  if (process.env['FLUID_REWRITE']) writeFileSync(script, `${out.map((o) => `${o.cmds}\n----\n${o.got}`).join('\n\n')}\n`);
  for (const o of out) assert.equal(o.got, o.expected, o.cmds);
  assert.ok(out.length >= 12, 'the script has its cases');
});

test('the SPDY/3 header dictionary is the draft\'s 1423 bytes (pinned by sha256), and its Adler-32 is zlib\'s', () => {
  assert.equal(SPDY3_HEADER_DICTIONARY.length, 1423);
  assert.equal(createHash('sha256').update(SPDY3_HEADER_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  // zlib checks a stream's DICTID against the dictionary it is given: a wrong Adler-32 fails here.
  const z = new StoredHeaderCompressor().compress(encodeHeaderBlock({ a: 'b' }));
  assert.deepEqual(inflateSync(z, { dictionary: SPDY3_HEADER_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH }), Buffer.from(encodeHeaderBlock({ a: 'b' })));
  assert.equal(adler32(new TextEncoder().encode('Wikipedia')), 0x11e60398);
});

const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array(b));
const id31 = fc.integer({ min: 0, max: 0x7fffffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const frameArb: fc.Arbitrary<SpdyFrame> = fc.oneof(
  fc.record({ type: fc.constant('data' as const), streamId: id31, fin: fc.boolean(), data: bytes }),
  fc.record({ type: fc.constant('syn_stream' as const), streamId: id31, associatedId: id31, priority: fc.integer({ min: 0, max: 7 }), fin: fc.boolean(), unidirectional: fc.boolean(), headerBlock: bytes }),
  fc.record({ type: fc.constant('syn_reply' as const), streamId: id31, fin: fc.boolean(), headerBlock: bytes }),
  fc.record({ type: fc.constant('headers' as const), streamId: id31, fin: fc.boolean(), headerBlock: bytes }),
  fc.record({ type: fc.constant('rst_stream' as const), streamId: id31, status: u32 }),
  fc.record({ type: fc.constant('settings' as const), clear: fc.boolean(), entries: fc.array(fc.record({ flags: fc.integer({ min: 0, max: 255 }), id: fc.integer({ min: 0, max: 0xffffff }), value: u32 }), { maxLength: 4 }) }),
  fc.record({ type: fc.constant('ping' as const), id: u32 }),
  fc.record({ type: fc.constant('goaway' as const), lastGoodStreamId: id31, status: u32 }),
  fc.record({ type: fc.constant('window_update' as const), streamId: id31, delta: id31 }),
);

test('any sequence of frames, encoded and fed to the decoder in any chunking, decodes to the same frames', () => {
  fc.assert(fc.property(fc.array(frameArb, { maxLength: 8 }), fc.integer({ min: 1, max: 64 }), (frames, step) => {
    const wire = new Uint8Array(Buffer.concat(frames.map((f) => encodeFrame(f))));
    const d = new SpdyFrameDecoder();
    const got: SpdyFrame[] = [];
    for (let i = 0; i < wire.length; i += step) got.push(...d.push(wire.subarray(i, i + step)));
    assert.equal(d.buffered, 0);
    assert.deepEqual(got, structuredClone(frames));
  }), { numRuns: 500 });
});

test('any header blocks sent through the stored compressor read back through a real inflater, in order', () => {
  const block = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.string({ maxLength: 100 }).filter((s) => !s.includes('\0')), { maxKeys: 6 });
  fc.assert(fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), (blocks) => {
    const c = new StoredHeaderCompressor();
    const inf = new HeaderInflater();
    for (const b of blocks) {
      const h = inf.inflate(c.compress(encodeHeaderBlock(b)));
      assert.deepEqual(Object.fromEntries([...h].map(([k, v]) => [k, v.join('\0')])), { ...b });
    }
  }), { numRuns: 200 });
});
