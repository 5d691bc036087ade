// Server-side Table output (meta.k8s.io/v1 Table) for `kubectl get`, as the apiextensions server
// renders custom resources: NAME first, then the kind's printer columns; `date` cells become ages
// ("13s", "2m58s", "5m35s", "18m", "10h", "3d"); missing values are empty cells. All columns are
// returned; kubectl hides priority > 0 unless `-o wide`. Pure: `now` is the clock.
import type { KindDefinition, PrinterColumn } from '../../api/kind.js';
import { ageOf } from '../../api/kinds/human-duration.js';
import { evalJsonPath } from './internal/json-path.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface ToTableOptions {
  readonly now: Date;
  readonly includeObject: IncludeObject;
}

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.',
  priority: 0,
};

export function toTable(def: KindDefinition, objects: readonly Record<string, unknown>[], opts: ToTableOptions): Record<string, unknown> {
  const columnDefinitions = [
    NAME_COLUMN,
    ...def.printerColumns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
  ];
  const rows = objects.map((obj) => {
    const meta = obj['metadata'];
    const name = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['name'] : undefined;
    const row: Record<string, unknown> = {
      cells: [typeof name === 'string' ? name : '', ...def.printerColumns.map((c) => cell(c, obj, opts.now))],
    };
    const object = rowObject(obj, opts.includeObject);
    if (object !== undefined) row['object'] = object;
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {}, columnDefinitions, rows };
}

function cell(c: PrinterColumn, obj: Record<string, unknown>, now: Date): unknown {
  try {
    if (c.value) return c.value(obj, now);
    const v = evalJsonPath(obj, c.jsonPath);
    if (v === undefined || v === null) return '';
    if (c.type === 'date') return ageOf(v, now);
    if (typeof v === 'object') return JSON.stringify(v);
    return v;
  } catch {
    return ''; // a column never breaks a listing
  }
}

function rowObject(obj: Record<string, unknown>, include: IncludeObject): Record<string, unknown> | undefined {
  switch (include) {
    case 'None':
      return undefined;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj['metadata'] ?? {} };
    case 'Object':
      return obj;
  }
}
