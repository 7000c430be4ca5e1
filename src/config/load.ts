/**
 * Resolving a config, one way: schema defaults, then the file (YAML or JSON), then the
 * `--set` overrides in order, then validation. Every mistake is one line naming where it
 * came from (the file or the `--set`), the field path and what was expected.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Document, isScalar, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { assert, usageError } from '../errors';
import { childField, describeExpected, type Field, formatValue, isMapping, unknownKeyMessage } from './fields';
import { deepFreeze } from './format';
import { configSchema, type Config } from './schema';
import { applyOverride, parseSet, type Override } from './set';
import { yamlValue } from './yamlValue';

export interface ConfigSources {
  /** A .yaml, .yml or .json file; without one, the defaults. */
  readonly file?: string;
  /** `key.path=value` overrides, applied in order (a later one wins). */
  readonly sets?: readonly string[];
}

/** The validated, deep-frozen config; any mistake is a usage error. */
export function resolveConfig({ file, sets = [] }: ConfigSources): Config {
  const raw = file === undefined ? {} : readConfigFile(file);
  const overrides = sets.map(parseSet);
  for (const override of overrides) applyOverride(raw, override);
  const result = configSchema.safeParse(raw);
  if (!result.success) throw usageError(validationMessage(result.error.issues, raw, file, overrides));
  return deepFreeze(result.data);
}

/** The file's top-level mapping of settings; an empty file (or only comments) is an empty one. */
function readConfigFile(file: string): Record<string, unknown> {
  const parse = parserFor(file);
  const text = readText(file);
  const content = text.trim() === '' ? null : parse(text, file);
  if (content === null) return {};
  if (!isMapping(content)) {
    const got = Array.isArray(content) ? 'a list' : formatValue(content);
    throw usageError(`${file}: the top level must be a mapping of settings, got ${got}`);
  }
  return content;
}

function parserFor(file: string): (text: string, file: string) => unknown {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return parseYaml;
  if (extension === '.json') return parseJson;
  throw usageError(`${file}: a config file must end in .yaml, .yml or .json`);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`${file}: no such config file`);
    if (code === 'EISDIR') throw usageError(`${file}: is a folder, not a config file`);
    throw usageError(`${file}: cannot read: ${oneLine(error)}`);
  }
}

function parseYaml(text: string, file: string): unknown {
  const { document, lineCounter } = yamlDocument(text);
  const error = document.errors[0];
  if (error !== undefined) throw usageError(`${file}: invalid YAML at ${place(lineCounter, error)}: ${describeYamlError(document, error)}`);
  return yamlValue(document, file);
}

/** JSON.parse, then duplicate keys (which it lets the last one win) refused as YAML's are:
 *  JSON is YAML 1.2, so the yaml library finds them, with their place. */
function parseJson(text: string, file: string): unknown {
  const value = jsonValue(text, file);
  const { document, lineCounter } = yamlDocument(text);
  const duplicate = document.errors.find((error) => error.code === 'DUPLICATE_KEY');
  if (duplicate !== undefined) throw usageError(`${file}: invalid JSON at ${place(lineCounter, duplicate)}: ${describeYamlError(document, duplicate)}`);
  return value;
}

function jsonValue(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const located = /^(.*?)(?: in JSON)? at position (\d+)/.exec(error instanceof Error ? error.message : '');
    if (located === null) throw usageError(`${file}: invalid JSON: ${oneLine(error)}`);
    const before = text.slice(0, Number(located[2])).split('\n');
    const place = `line ${before.length}, column ${(before.at(-1) ?? '').length + 1}`;
    throw usageError(`${file}: invalid JSON at ${place}: ${located[1]}`);
  }
}

function yamlDocument(text: string): { document: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  return { document: parseDocument(text, { lineCounter, prettyErrors: false }), lineCounter };
}

function place(lineCounter: LineCounter, error: YAMLError): string {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return `line ${line}, column ${col}`;
}

/** The yaml library's message; a duplicate key is named. */
function describeYamlError(document: Document, error: YAMLError): string {
  if (error.code !== 'DUPLICATE_KEY') return oneLine(error);
  let key: unknown;
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === error.pos[0]) key = pair.key.value;
    },
  });
  return key === undefined ? oneLine(error) : `duplicate key ${formatValue(key)}`;
}

/** An error's message on one line, cut when long (V8 quotes the JSON source in some). */
function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** A problem at one config field: an issue from the schema, one per unknown key. */
interface Problem {
  readonly path: readonly string[];
  readonly text: string;
}

/** The first problem (unknown keys first, then in schema order), where it came from, and how many more. */
function validationMessage(
  issues: readonly z.core.$ZodIssue[],
  raw: Record<string, unknown>,
  file: string | undefined,
  overrides: readonly Override[],
): string {
  const unknownKeysFirst = [...issues].sort(
    (a, b) => Number(a.code !== 'unrecognized_keys') - Number(b.code !== 'unrecognized_keys'),
  );
  const problems = unknownKeysFirst.flatMap((issue) => problemsOf(issue, raw));
  const [first] = problems;
  assert(first !== undefined, () => 'config validation failed without an issue');
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return `${sourceOf(first.path, file, overrides)}: ${first.text}${more}`;
}

function problemsOf(issue: z.core.$ZodIssue, raw: Record<string, unknown>): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    const sectionPath = issue.path.map(String);
    return issue.keys.map((key) => ({ path: [...sectionPath, key], text: unknownKeyMessage(sectionPath, key) }));
  }
  const { path, field } = fieldOf(issue.path);
  const reason = issue.code === 'invalid_format' || issue.code === 'custom' ? ` (${issue.message})` : '';
  const got = formatValue(valueAt(raw, path));
  return [{ path, text: `${path.join('.')}: expected ${describeExpected(field)}${reason}, got ${got}` }];
}

/** The deepest config field on the issue's path: a bad list element reports the whole list. */
function fieldOf(issuePath: readonly PropertyKey[]): { path: string[]; field: Field } {
  const path: string[] = [];
  let field: Field = configSchema;
  for (const key of issuePath) {
    if (typeof key !== 'string') break;
    const child = childField(field, key);
    if (child === undefined) break;
    path.push(key);
    field = child;
  }
  return { path, field };
}

function valueAt(raw: unknown, fieldPath: readonly string[]): unknown {
  return fieldPath.reduce((value, key) => (isMapping(value) ? value[key] : undefined), raw);
}

/** The last `--set` at or around the path gave the offending value; otherwise the file did. */
function sourceOf(fieldPath: readonly string[], file: string | undefined, overrides: readonly Override[]): string {
  const touches = (override: Override) => {
    const setPath = [...override.sectionPath, override.key];
    const shorter = Math.min(setPath.length, fieldPath.length);
    return setPath.slice(0, shorter).every((key, depth) => key === fieldPath[depth]);
  };
  const override = [...overrides].reverse().find(touches);
  return override === undefined ? (file ?? 'config') : `--set ${override.text}`;
}
