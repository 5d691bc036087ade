// String formats the kinds' schemas use. TypeBox checks only registered formats and rejects
// values of unknown ones, so admission registers OpenAPI's `date-time` (RFC 3339) once.
import { FormatRegistry } from '@sinclair/typebox';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function registerFormats(): void {
  if (!FormatRegistry.Has('date-time')) {
    FormatRegistry.Set('date-time', (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));
  }
}
