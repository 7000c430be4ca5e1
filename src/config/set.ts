/**
 * `--set key.path=value` overrides, typed by the schema. String and enum settings keep the
 * text as given (`--set name=123` is the string "123"); every other setting reads it as a
 * YAML scalar or flow value (`1e-3`, `false`, `[0.001, 0.01]`, `null`).
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { usageError } from '../errors';
import {
  acceptsNull,
  childField,
  type Field,
  formatValue,
  innermost,
  isMapping,
  sectionKeys,
  unknownKeyMessage,
} from './fields';
import { configSchema } from './schema';
import { yamlValue } from './yamlValue';

/** One override: its text as given (for messages), where it goes, and its typed value. */
export interface Override {
  readonly text: string;
  readonly sectionPath: readonly string[];
  readonly key: string;
  readonly value: unknown;
}

/** Parse `a.b=value`; a missing `=`, an unknown key or a whole section is a usage error. */
export function parseSet(text: string): Override {
  const equals = text.indexOf('=');
  if (equals < 0) throw usageError(`--set ${text}: expected key.path=value`);
  const keyPath = text.slice(0, equals).trim();
  if (keyPath === '') throw usageError(`--set ${text}: missing key before "="`);
  const lastDot = keyPath.lastIndexOf('.');
  const sectionPath = lastDot < 0 ? [] : keyPath.slice(0, lastDot).split('.');
  const key = keyPath.slice(lastDot + 1);
  const field = settingAt(text, [...sectionPath, key]);
  return { text, sectionPath, key, value: typedValue(field, text.slice(equals + 1), `--set ${text}`) };
}

/** Write the override into the raw config, creating the sections on its path as needed. */
export function applyOverride(raw: Record<string, unknown>, override: Override): void {
  let section = raw;
  for (const [depth, key] of override.sectionPath.entries()) {
    const existing = section[key] === undefined ? {} : section[key];
    if (!isMapping(existing)) {
      const where = override.sectionPath.slice(0, depth + 1).join('.');
      throw usageError(`--set ${override.text}: ${where} is ${formatValue(existing)} in the config file, not a mapping`);
    }
    section[key] = existing;
    section = existing;
  }
  section[override.key] = override.value;
}

/** The setting at `path`: each key must exist in its section, and the last must not be a section. */
function settingAt(text: string, path: readonly string[]): Field {
  let field: Field = configSchema;
  for (const [depth, key] of path.entries()) {
    const sectionPath = path.slice(0, depth);
    if (sectionKeys(field) === undefined) {
      throw usageError(`--set ${text}: ${sectionPath.join('.')} is a setting, not a section`);
    }
    const child = childField(field, key);
    if (child === undefined) throw usageError(`--set ${text}: ${unknownKeyMessage(sectionPath, key)}`);
    field = child;
  }
  const keys = sectionKeys(field);
  if (keys !== undefined) {
    throw usageError(`--set ${text}: ${path.join('.')} is a section; set one of its keys (${keys.join(', ')})`);
  }
  return field;
}

/** The value for a setting: text for strings and enums, else YAML; text that is not valid
 *  YAML is kept, so validation reports it alongside what the setting expects. */
function typedValue(field: Field, text: string, where: string): unknown {
  const inner = innermost(field);
  if (inner instanceof z.ZodString || inner instanceof z.ZodEnum) {
    return text === 'null' && acceptsNull(field) ? null : text;
  }
  const document = parseDocument(text);
  return document.errors.length === 0 ? yamlValue(document, where) : text;
}
