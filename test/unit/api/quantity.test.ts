import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidQuantityError, formatBytes, formatQuantity, parseQuantity } from '../../../src/api/quantity.js';

const cases: [string | number, number][] = [
  ['2Gi', 2 * 2 ** 30], ['12Gi', 12 * 2 ** 30], ['100Mi', 100 * 2 ** 20], ['1G', 1e9], ['1k', 1000], ['1Ki', 1024],
  ['0.5Gi', 2 ** 29], ['1.5Ki', 1536], ['1e3', 1000], ['40960', 40960], [40960, 40960], ['0', 0], ['1m', 1], ['100m', 1],
];
for (const [input, bytes] of cases) {
  test(`GIVEN the quantity ${JSON.stringify(input)} WHEN parsed THEN it is ${bytes} bytes`, () => {
    assert.equal(parseQuantity(input), bytes);
  });
}

test('GIVEN a JuiceFS plain number WHEN parsed with plainNumberUnit MiB THEN it is that many MiB', () => {
  assert.equal(parseQuantity(40960, { plainNumberUnit: 2 ** 20 }), 40 * 2 ** 30);
  assert.equal(parseQuantity('40960', { plainNumberUnit: 2 ** 20 }), 40 * 2 ** 30);
  assert.equal(parseQuantity('2Gi', { plainNumberUnit: 2 ** 20 }), 2 * 2 ** 30);
});

for (const bad of ['', 'Gi', '2GB', '2 Gi', ' 2Gi', '-1Gi', '1.2.3', 'ten', '1Zi', '99999999Ei']) {
  test(`GIVEN the quantity ${JSON.stringify(bad)} WHEN parsed THEN InvalidQuantityError names the input`, () => {
    assert.throws(() => parseQuantity(bad), (e: unknown) => e instanceof InvalidQuantityError && e.input === bad && e.message.includes(JSON.stringify(bad)));
  });
}

test('GIVEN byte counts WHEN formatted THEN they print like Fluid status', () => {
  assert.equal(formatBytes(0), '0.00B');
  assert.equal(formatBytes(4 * 2 ** 30), '4.00GiB');
  assert.equal(formatBytes(577573683), '550.82MiB');
  assert.equal(formatBytes(24 * 2 ** 30), '24.00GiB');
  assert.equal(formatBytes(1023), '1023.00B');
});

test('GIVEN any byte count WHEN formatted canonically and parsed back THEN it is unchanged', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => parseQuantity(formatQuantity(n)) === n), { seed: 1, numRuns: 2000 });
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 22 }), fc.constantFrom(['Ki', 2 ** 10], ['Mi', 2 ** 20], ['Gi', 2 ** 30]), (n, [sfx, unit]) => {
    const q = formatQuantity(n * (unit as number));
    return parseQuantity(q) === n * (unit as number) && parseQuantity(`${n}${String(sfx)}`) === n * (unit as number);
  }), { seed: 2 });
});

test('GIVEN any byte count WHEN printed with formatBytes and parsed back THEN it is within the two-decimal rounding', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (n) => {
    const text = formatBytes(n).replace(/B$/, '').replace(/iB$/, 'i');
    const back = parseQuantity(text.endsWith('i') ? text : text.replace(/[KMGTP]i?$/, ''));
    return Math.abs(back - n) <= 0.005 * Math.max(n, 1) + 1;
  }), { seed: 3, numRuns: 2000 });
});
