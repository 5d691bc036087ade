import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { EngineCredential, EngineCredentialError } from '../../../src/adapters/rpc/engine-credential.js';

test('GIVEN a generated credential WHEN a header is checked THEN only "Bearer <its token>" is accepted', () => {
  const a = EngineCredential.generate();
  const b = EngineCredential.generate();
  assert.equal(a.accepts(a.authorization()), true);
  assert.equal(a.accepts(`bearer ${a.reveal()}`), true);
  for (const h of [undefined, '', 'Bearer', 'Bearer ', b.authorization(), `Basic ${a.reveal()}`, `Bearer ${a.reveal()}x`, `Bearer ${a.reveal().slice(1)}`]) {
    assert.equal(a.accepts(h), false, String(h));
  }
});

test('GIVEN a credential WHEN printed, serialised or inspected THEN the token never shows', () => {
  const c = EngineCredential.generate();
  for (const s of [String(c), JSON.stringify({ c }), inspect(c), inspect({ nested: { c } }), `${c}`]) {
    assert.ok(!s.includes(c.reveal()), s);
  }
});

test('GIVEN token files WHEN read THEN a 0600 file works and loose, missing or short ones fail naming the field and file, not the content', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fluid-cred-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const token = EngineCredential.generate().reveal();
  const ok = join(dir, 'ok');
  writeFileSync(ok, `${token}\n`, { mode: 0o600 });
  assert.equal(EngineCredential.fromFile(ok).accepts(`Bearer ${token}`), true);

  const loose = join(dir, 'loose');
  writeFileSync(loose, token);
  chmodSync(loose, 0o644);
  const short = join(dir, 'short');
  writeFileSync(short, 'abc', { mode: 0o600 });
  const cases: [string, RegExp][] = [
    [loose, /^tokenFile: .*loose: mode 0644 lets group or others read it; the engine token file must be 0600$/],
    [join(dir, 'missing'), /^tokenFile: .*missing: cannot read the engine token file \(ENOENT\)$/],
    [short, /^tokenFile: .*short: expected an engine token of at least 32/],
    [dir, /not a regular file/],
  ];
  for (const [file, message] of cases) {
    assert.throws(() => EngineCredential.fromFile(file), (err: unknown) => err instanceof EngineCredentialError && message.test(err.message) && !err.message.includes(token), file);
  }
});
