// Lookup of the served kinds by URL coordinates. Built once from the KindsPort's list.
import type { KindDefinition } from '../../api/kind.js';

export class KindRegistry {
  private readonly byPath = new Map<string, KindDefinition>();
  readonly all: readonly KindDefinition[];

  constructor(kinds: readonly KindDefinition[]) {
    this.all = kinds;
    for (const k of kinds) this.byPath.set(`${k.group}/${k.version}/${k.plural}`, k);
  }

  find(group: string, version: string, plural: string): KindDefinition | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The kind with this group and plural in any served version. */
  findResource(group: string, plural: string): KindDefinition | undefined {
    return this.all.find((k) => k.group === group && k.plural === plural);
  }

  /** Group -> versions served, in first-seen order. */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const k of this.all) {
      const vs = out.get(k.group) ?? [];
      if (!vs.includes(k.version)) vs.push(k.version);
      out.set(k.group, vs);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): KindDefinition[] {
    return this.all.filter((k) => k.group === group && k.version === version);
  }
}

export function apiVersionOf(def: Pick<KindDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
