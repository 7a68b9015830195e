import type * as z from 'zod';

/** The parts of a zod 4 schema definition this walker reads. */
interface LooseDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
}

function def(schema: z.ZodType): LooseDef {
  return schema._zod.def as LooseDef; // zod types each def kind apart; this walker reads them by `type`
}

/** Unwraps optional / default / nullable / pipe wrappers down to the schema that holds the shape. */
function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  for (;;) {
    const d = def(schema);
    if (d.innerType) schema = d.innerType;
    else if (d.type === 'pipe' && d.in) schema = d.in;
    else if (d.type === 'union' && d.options) {
      const objects = d.options.filter((o) => def(unwrap(o, value)).type === 'object');
      const byDiscriminator = d.discriminator
        ? objects.find((o) => {
            const literal = def(unwrap(o, value)).shape?.[d.discriminator as string];
            const accepted = literal?.safeParse(
              (value as Record<string, unknown> | undefined)?.[d.discriminator as string],
            );
            return accepted?.success === true;
          })
        : undefined;
      const chosen = byDiscriminator ?? objects[0];
      if (!chosen) return schema;
      schema = chosen;
    } else return schema;
  }
}

/**
 * The schema at a field path of `root` and the keys its mapping allows there (empty when the path
 * does not lead to a mapping). `input` is the data being checked, used to choose among the
 * options of a discriminated union.
 */
export function schemaAt(
  root: z.ZodType,
  path: readonly PropertyKey[],
  input: unknown,
): { schema: z.ZodType; keys: string[] } {
  let schema = unwrap(root, input);
  let value = input;
  for (const segment of path) {
    const d = def(schema);
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<PropertyKey, unknown>)[segment]
        : undefined;
    const next =
      d.type === 'object'
        ? d.shape?.[String(segment)]
        : d.type === 'record'
          ? d.valueType
          : d.type === 'array'
            ? d.element
            : undefined;
    if (!next) return { schema, keys: [] };
    schema = unwrap(next, value);
  }
  const shape = def(schema).shape;
  return { schema, keys: shape ? Object.keys(shape) : [] };
}
