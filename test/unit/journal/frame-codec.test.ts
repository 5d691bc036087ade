import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32 } from '../../../src/core/journal/crc32.js';
import { decodeFrames, encodeFrame, FRAME_HEADER_BYTES } from '../../../src/core/journal/frame-codec.js';

const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

test('GIVEN the standard check input WHEN crc32 is computed THEN it is 0xCBF43926', () => {
  assert.equal(crc32(enc.encode('123456789')), 0xcbf43926);
});

test('GIVEN consecutive frames WHEN decoded THEN every payload and seq comes back and the whole buffer is valid', () => {
  fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), fc.integer({ min: 0, max: 2 ** 40 }), (payloads, start) => {
    const buf = concat(payloads.map((p, i) => encodeFrame(start + i, p)));
    const d = decodeFrames(buf);
    assert.equal(d.tail, undefined);
    assert.equal(d.validEnd, buf.length);
    assert.deepEqual(d.frames.map((f) => f.seq), payloads.map((_, i) => start + i));
    d.frames.forEach((f, i) => assert.deepEqual(f.payload, payloads[i]));
  }));
});

test('GIVEN a log cut at any byte WHEN decoded THEN only whole frames before the cut are returned', () => {
  fc.assert(fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 32 }), { minLength: 1, maxLength: 8 }), fc.nat(), (payloads, cutSeed) => {
    const frames = payloads.map((p, i) => encodeFrame(i + 1, p));
    const buf = concat(frames);
    const cut = cutSeed % (buf.length + 1);
    const d = decodeFrames(buf.subarray(0, cut));
    let whole = 0;
    let end = 0;
    for (const f of frames) { if (end + f.length <= cut) { end += f.length; whole++; } else break; }
    assert.equal(d.frames.length, whole);
    assert.equal(d.validEnd, end);
    assert.equal(d.tail === undefined, end === cut);
  }));
});

test('GIVEN one flipped bit anywhere in the last frame WHEN decoded THEN that frame is rejected and the earlier ones kept', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (payload, posSeed, bit) => {
    const a = encodeFrame(1, enc.encode('first'));
    const b = encodeFrame(2, payload);
    const buf = concat([a, b]);
    const pos = a.length + (posSeed % b.length);
    buf[pos] = buf[pos]! ^ (1 << bit);
    const d = decodeFrames(buf);
    assert.equal(d.frames.length, 1);
    assert.equal(d.validEnd, a.length);
    assert.ok(d.tail);
  }));
});

test('GIVEN a frame whose seq does not follow the previous one WHEN decoded THEN decoding stops there', () => {
  const buf = concat([encodeFrame(5, enc.encode('a')), encodeFrame(7, enc.encode('b'))]);
  const d = decodeFrames(buf);
  assert.equal(d.frames.length, 1);
  assert.match(d.tail ?? '', /sequence 7 after 5/);
  assert.equal(d.validEnd, FRAME_HEADER_BYTES + 1);
});

test('GIVEN random data WHEN checksummed by zlib.crc32 (used by the adapters) THEN it equals the pure crc32, also when continued', async () => {
  const { crc32: z } = await import('node:zlib');
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 50 }), (a, b) => {
    assert.equal(z(a), crc32(a));
    assert.equal(z(b, z(a)), crc32(b, crc32(a)));
  }));
});
