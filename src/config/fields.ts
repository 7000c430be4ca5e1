/**
 * Walking the config schema: the field at a key path, the keys of a section, and what a
 * field expects, in words (and a value as shown in messages). Shared by `--set` parsing,
 * error messages and the YAML dump.
 */
import { z } from 'zod';
import { configSchema } from './schema';

/** A field of the config: a section (mapping) or a setting, possibly wrapped in a default. */
export type Field = z.core.$ZodType;

/** A parsed mapping (a YAML mapping or JSON object), as opposed to a list or a scalar. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field inside its default, prefault or optional wrapper (these only fill in a missing value). */
function withoutDefault(field: Field): Field {
  const wrapped = field instanceof z.ZodDefault || field instanceof z.ZodPrefault || field instanceof z.ZodOptional;
  return wrapped ? withoutDefault(field.unwrap()) : field;
}

/** The field without any wrapper: default, prefault, optional or nullable. */
export function innermost(field: Field): Field {
  const bare = withoutDefault(field);
  return bare instanceof z.ZodNullable ? innermost(bare.unwrap()) : bare;
}

/** Whether the field accepts null. */
export function acceptsNull(field: Field): boolean {
  return withoutDefault(field) instanceof z.ZodNullable;
}

/** The keys of a section, in schema order; undefined for a setting. */
export function sectionKeys(field: Field): string[] | undefined {
  const inner = innermost(field);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : undefined;
}

/** The field under `key` in a section; undefined if the key is unknown or `field` is a setting. */
export function childField(field: Field, key: string): Field | undefined {
  const inner = innermost(field);
  if (!(inner instanceof z.ZodObject) || !Object.hasOwn(inner.shape, key)) return undefined;
  return inner.shape[key];
}

/** The field at a key path (the whole config for []); undefined if some key is unknown. */
export function fieldAt(path: readonly string[]): Field | undefined {
  let field: Field | undefined = configSchema;
  for (const key of path) field = field && childField(field, key);
  return field;
}

/** `model.hiden: unknown key (known keys in model: hidden, k, …)` for a key missing from a section. */
export function unknownKeyMessage(sectionPath: readonly string[], key: string): string {
  const section = fieldAt(sectionPath);
  const known = (section && sectionKeys(section)) ?? [];
  const where = sectionPath.length === 0 ? 'top-level keys' : `keys in ${sectionPath.join('.')}`;
  return `${[...sectionPath, key].join('.')}: unknown key (known ${where}: ${known.join(', ')})`;
}

/** What a field accepts, as a phrase: "a positive integer", "one of auto, cpu", "a string or null". */
export function describeExpected(field: Field): string {
  if (field !== withoutDefault(field)) return describeExpected(withoutDefault(field));
  if (field instanceof z.ZodNullable) return `${describeExpected(field.unwrap())} or null`;
  if (field instanceof z.ZodNumber) return describeNumber(field);
  if (field instanceof z.ZodArray) return describeList(field);
  if (field instanceof z.ZodEnum) return `one of ${field.options.join(', ')}`;
  if (field instanceof z.ZodString) return 'a string';
  if (field instanceof z.ZodBoolean) return 'true or false';
  if (field instanceof z.ZodObject) return 'a mapping';
  return `a ${field._zod.def.type}`;
}

function describeNumber(field: z.ZodNumber): string {
  const kind = field.isInt ? 'integer' : 'number';
  const bounds = (field.def.checks ?? []).flatMap((check) => {
    if (check instanceof z.core.$ZodCheckGreaterThan) {
      return [`${check._zod.def.inclusive ? '>=' : '>'} ${check._zod.def.value}`];
    }
    if (check instanceof z.core.$ZodCheckLessThan) {
      return [`${check._zod.def.inclusive ? '<=' : '<'} ${check._zod.def.value}`];
    }
    return [];
  });
  const positive = bounds[0] === '> 0';
  const head = positive ? `a positive ${kind}` : `${field.isInt ? 'an' : 'a'} ${kind}`;
  return [head, (positive ? bounds.slice(1) : bounds).join(' and ')].filter((part) => part !== '').join(' ');
}

function describeList(field: z.ZodArray): string {
  const minItems = Math.max(
    0,
    ...(field.def.checks ?? []).map((check) =>
      check instanceof z.core.$ZodCheckMinLength ? check._zod.def.minimum : 0,
    ),
  );
  const list = minItems === 0 ? 'a list' : minItems === 1 ? 'a non-empty list' : `a list of at least ${minItems} items`;
  return `${list}, each ${describeExpected(field.element)}`;
}

/** A value as shown after "got" in a message: JSON, on one line, cut when long. */
export function formatValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
