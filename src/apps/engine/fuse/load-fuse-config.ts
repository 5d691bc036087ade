// Reads and validates the FuseConfig JSON file (`fluid engine fuse --config FILE`). Defaults from
// the schema are applied; every problem is reported with its JSON path.
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { FuseConfig } from '../../../api/engine-config.js';
import { ValidationError, type FieldError } from '../../../core/errors.js';

export function loadFuseConfig(file: string): FuseConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ValidationError([{ type: 'FieldValueInvalid', path: file, value: '(file)', message: `cannot read a JSON FuseConfig: ${(err as Error).message}` }], 'FuseConfig');
  }
  const withDefaults = Value.Default(FuseConfig, Value.Clone(raw));
  const errors: FieldError[] = [...Value.Errors(FuseConfig, withDefaults)].map((e) => ({
    type: 'FieldValueInvalid',
    path: e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)',
    value: typeof e.value === 'string' || typeof e.value === 'number' ? e.value : JSON.stringify(e.value) ?? 'undefined',
    message: e.message,
  }));
  if (errors.length > 0) throw new ValidationError(errors, `FuseConfig ${file}`);
  const cfg = withDefaults as FuseConfig;
  const names = new Set<string>();
  for (const [i, m] of cfg.mounts.entries()) {
    if (names.has(m.name)) throw new ValidationError([{ type: 'FieldValueDuplicate', path: `mounts[${i}].name`, value: m.name, message: 'mount names must be unique' }], `FuseConfig ${file}`);
    if (m.name.includes('/')) throw new ValidationError([{ type: 'FieldValueInvalid', path: `mounts[${i}].name`, value: m.name, message: 'must not contain "/"' }], `FuseConfig ${file}`);
    names.add(m.name);
  }
  return cfg;
}
