// Wires the resource-kind layer into the API server's KindsPort.
import type { KindsPort } from '../../adapters/apiserver/kinds-port.js';
import { allKinds } from '../../api/kinds/index.js';
import { admit } from '../../core/admission/admit.js';
import { toTable } from '../../core/table/to-table.js';

export const kindsPort: KindsPort = {
  kinds: allKinds,
  admit: (def, obj, opts) => admit(def, obj, opts),
  toTable: (def, objects, opts) => toTable(def, objects as readonly Record<string, unknown>[], opts),
};
