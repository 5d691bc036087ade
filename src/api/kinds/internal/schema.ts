// Schema building blocks shared by the kind definitions. Every helper yields a TypeBox schema
// that is also a valid Kubernetes *structural* schema once converted by core/crd (string enums
// are unions of literals, maps are Records, int-or-string is the only other union allowed).
import { Type, type TSchema, type TLiteral, type TUnion, type SchemaOptions } from '@sinclair/typebox';

/** Marks a subtree whose fields are not ours to define (Kubernetes core types nested by Fluid). */
export const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
/** Marks an integer-or-string union (resource.Quantity, IntOrString). */
export const INT_OR_STRING = 'x-kubernetes-int-or-string';

/** A string restricted to `values` (CRD `enum`). */
export function StringEnum<T extends string>(values: readonly T[], options: SchemaOptions = {}): TUnion<TLiteral<T>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)), options);
}

/** map[string]string */
export function StringMap(options: SchemaOptions = {}): TSchema {
  return Type.Record(Type.String(), Type.String(), options);
}

/** An object whose content is kept as sent and not checked (core Kubernetes types). */
export function Preserved(description?: string): TSchema {
  return Type.Object({}, description === undefined ? { [PRESERVE]: true } : { [PRESERVE]: true, description });
}

/** resource.Quantity / IntOrString: an integer or a string; semantic checks parse it. */
export function IntOrString(options: SchemaOptions = {}): TSchema {
  return Type.Union([Type.Integer(), Type.String()], { [INT_OR_STRING]: true, ...options });
}

/** Loose ObjectMeta: the API server owns metadata semantics; we only type what admission reads. */
export const ObjectMeta = Type.Object(
  {
    name: Type.Optional(Type.String()),
    generateName: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
    labels: Type.Optional(StringMap()),
    annotations: Type.Optional(StringMap()),
  },
  { [PRESERVE]: true },
);

/** Fluid's condition shape (DatasetCondition, RuntimeCondition, Condition). Times are RFC 3339 strings. */
export const Condition = Type.Object({
  type: Type.String(),
  status: Type.String({ description: 'True, False or Unknown' }),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  lastUpdateTime: Type.Optional(Type.String({ format: 'date-time' })),
  lastTransitionTime: Type.Optional(Type.String({ format: 'date-time' })),
  lastProbeTime: Type.Optional(Type.String({ format: 'date-time' })),
});

/**
 * The envelope every kind shares; `spec`/`status` are the kind's own. `preserveRoot` keeps unknown
 * top-level fields (core kinds such as Event, whose fields sit at the top level).
 */
export function KindObject(
  spec: TSchema | undefined,
  status: TSchema | undefined,
  extra: Record<string, TSchema> = {},
  preserveRoot = false,
): TSchema {
  const props: Record<string, TSchema> = {
    apiVersion: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    metadata: Type.Optional(ObjectMeta),
  };
  if (spec !== undefined) props['spec'] = Type.Optional(spec);
  if (status !== undefined) props['status'] = Type.Optional(status);
  for (const [k, v] of Object.entries(extra)) props[k] = Type.Optional(v);
  return Type.Object(props, preserveRoot ? { [PRESERVE]: true } : {});
}
