// Reads and validates a master or worker config JSON file (`fluid engine master|worker --config FILE`).
// Schema defaults are applied; every problem is reported with its JSON path; mount names must be
// unique and contain no "/".
import { readFileSync } from 'node:fs';
import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError, type FieldError } from '../../core/errors.js';

/**
 * Per-process settings a pod passes as arguments because one ConfigMap file serves pods on several
 * nodes: `--host IP` (the node's address, from status.hostIP: engine pods use host networking) wins
 * over the file's `host`; `--node-name NAME` (spec.nodeName) sets `nodeName`.
 */
export interface EngineArgOverrides {
  readonly host?: string;
  readonly nodeName?: string;
}

export function engineArgOverrides(args: readonly string[]): EngineArgOverrides {
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v === '' || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const host = value('--host');
  const nodeName = value('--node-name');
  return { ...(host !== undefined ? { host } : {}), ...(nodeName !== undefined ? { nodeName } : {}) };
}

export function loadEngineConfig<S extends TSchema>(schema: S, kind: string, file: string, overrides: EngineArgOverrides = {}): Static<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ValidationError([{ type: 'FieldValueInvalid', path: file, value: '(file)', message: `cannot read a JSON ${kind}: ${(err as Error).message}` }], kind);
  }
  const withArgs: unknown = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>), ...overrides } : raw;
  const withDefaults: unknown = Value.Default(schema, Value.Clone(withArgs));
  const errors: FieldError[] = [...Value.Errors(schema, withDefaults)].map((e) => ({
    type: 'FieldValueInvalid',
    path: e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)',
    value: typeof e.value === 'string' || typeof e.value === 'number' ? e.value : JSON.stringify(e.value) ?? 'undefined',
    message: e.message,
  }));
  if (errors.length > 0) throw new ValidationError(errors, `${kind} ${file}`);
  const cfg = withDefaults as Static<S>;
  const mounts = (cfg as { mounts?: { name: string }[] }).mounts ?? [];
  const names = new Set<string>();
  for (const [i, m] of mounts.entries()) {
    if (names.has(m.name)) throw new ValidationError([{ type: 'FieldValueDuplicate', path: `mounts[${i}].name`, value: m.name, message: 'mount names must be unique' }], `${kind} ${file}`);
    if (m.name.includes('/') || m.name === '.' || m.name === '..') throw new ValidationError([{ type: 'FieldValueInvalid', path: `mounts[${i}].name`, value: m.name, message: 'must be a single path segment (no "/")' }], `${kind} ${file}`);
    names.add(m.name);
  }
  return cfg;
}

/** `--config FILE` from argv; throws a usage message otherwise. */
export function configArg(args: readonly string[], component: string): string {
  const i = args.indexOf('--config');
  const file = i >= 0 ? args[i + 1] : undefined;
  if (!file) throw new Error(`usage: fluid engine ${component} --config FILE`);
  return file;
}
