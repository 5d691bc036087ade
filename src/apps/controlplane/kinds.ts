// Wires the resource-kind layer into the API server's KindsPort.
import { FormatRegistry } from '@sinclair/typebox';
import type { KindsPort } from '../../adapters/apiserver/kinds-port.js';
import { allKinds } from '../../api/kinds/index.js';
import { admit } from '../../core/admission/admit.js';
import { toTable } from '../../core/table/to-table.js';

// The kinds' schemas use OpenAPI's `date-time` format; TypeBox only checks formats that are
// registered, and rejects the others as unknown. Register it here unless admission already did.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));

export const kindsPort: KindsPort = {
  kinds: allKinds,
  admit: (def, obj, opts) => admit(def, obj, opts),
  toTable: (def, objects, opts) => toTable(def, objects as readonly Record<string, unknown>[], opts),
};
