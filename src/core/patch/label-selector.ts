// Kubernetes label selectors (the `labelSelector` query parameter): equality-based
// (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`) requirements,
// comma-separated and ANDed. Parsing is strict: a malformed selector throws SelectorError.
import { FluidError } from '../errors.js';

export class SelectorError extends FluidError {
  constructor(message: string) {
    super('BadSelector', message);
  }
}

export type Requirement =
  | { readonly key: string; readonly op: 'exists' | '!exists' }
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'gt' | 'lt'; readonly value: number };

export type LabelSelector = readonly Requirement[];

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, sel: string): string {
  if (!KEY.test(key) || key.length > 317) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in selector "${sel}"`);
  return key;
}

function checkValue(v: string, sel: string): string {
  if (!VALUE.test(v) || v.length > 63) throw new SelectorError(`unable to parse requirement: invalid label value "${v}" in selector "${sel}"`);
  return v;
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

export function parseLabelSelector(selector: string): LabelSelector {
  const sel = selector.trim();
  if (sel === '') return [];
  return splitTopLevel(sel).map((raw): Requirement => {
    const r = raw.trim();
    let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(r);
    if (m) {
      const values = (m[3] ?? '').split(',').map((v) => checkValue(v.trim(), sel));
      return { key: checkKey(m[1] ?? '', sel), op: m[2] === 'in' ? 'in' : 'notin', values };
    }
    m = /^([^=!<>\s]+)\s*(==|=|!=)\s*([^=!<>\s]*)$/.exec(r);
    if (m) {
      const key = checkKey(m[1] ?? '', sel);
      const value = checkValue(m[3] ?? '', sel);
      return { key, op: m[2] === '!=' ? 'notin' : 'in', values: [value] };
    }
    m = /^([^=!<>\s]+)\s*(<|>)\s*(-?[0-9]+)$/.exec(r);
    if (m) return { key: checkKey(m[1] ?? '', sel), op: m[2] === '>' ? 'gt' : 'lt', value: Number(m[3]) };
    m = /^!\s*([^=!<>\s]+)$/.exec(r);
    if (m) return { key: checkKey(m[1] ?? '', sel), op: '!exists' };
    if (/^[^=!<>\s(),]+$/.test(r)) return { key: checkKey(r, sel), op: 'exists' };
    throw new SelectorError(`unable to parse requirement: "${r}" in label selector "${sel}"`);
  });
}

/** True when `labels` satisfies every requirement. */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((req) => {
    const has = Object.hasOwn(l, req.key);
    const v = l[req.key];
    switch (req.op) {
      case 'exists': return has;
      case '!exists': return !has;
      case 'in': return has && req.values.includes(v ?? '');
      case 'notin': return !has || !req.values.includes(v ?? '');
      case 'gt': return has && /^-?[0-9]+$/.test(v ?? '') && Number(v) > req.value;
      case 'lt': return has && /^-?[0-9]+$/.test(v ?? '') && Number(v) < req.value;
    }
  });
}
