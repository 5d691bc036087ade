import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError, formatFieldError } from '../../src/core/errors.js';

test('a field error is formatted the way kubectl prints it', () => {
  const e = { path: 'spec.mounts[0].mountPoint', type: 'FieldValueInvalid' as const, value: 'ftp://x', message: 'unsupported scheme' };
  assert.equal(formatFieldError(e), 'spec.mounts[0].mountPoint: Invalid value: "ftp://x": unsupported scheme');
  assert.match(new ValidationError([e], 'Dataset "x"').message, /^Dataset "x" is invalid: spec\.mounts\[0\]/);
});
