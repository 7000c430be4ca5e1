/** The resolved config as YAML (printed by `validate`, saved as each run's config.yaml), and deep freezing. */
import { Document, isScalar, isSeq, visit } from 'yaml';
import { childField, type Field, isMapping, sectionKeys } from './fields';
import { configSchema, type Config } from './schema';

/** A stable YAML dump: keys in schema order, lists of numbers on one line (`[0.0001, 0.001, 0.01]`). */
export function configToYaml(config: Config): string {
  const document = new Document(inSchemaOrder(configSchema, config));
  visit(document, {
    Seq(_key, node) {
      if (isSeq(node)) node.flow = node.items.every((item) => isScalar(item) && typeof item.value === 'number');
    },
  });
  return document.toString({ flowCollectionPadding: false });
}

/** Freeze a tree of plain objects and arrays, all the way down; returns the same value. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A copy of `value` whose mappings list their keys in the order the schema declares them. */
function inSchemaOrder(field: Field, value: unknown): unknown {
  const keys = sectionKeys(field);
  if (keys === undefined || !isMapping(value)) return value;
  return Object.fromEntries(
    keys.filter((key) => Object.hasOwn(value, key)).map((key) => {
      const child = childField(field, key);
      return [key, child === undefined ? value[key] : inSchemaOrder(child, value[key])];
    }),
  );
}
