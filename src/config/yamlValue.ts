/**
 * A parsed YAML document's value. Aliases are resolved only when the value is built, so
 * their mistakes surface here: an alias without its anchor, and one expanding past the
 * yaml library's maxAliasCount (100 by default), its guard against a "billion laughs"
 * document whose few lines of nested aliases would expand to gigabytes.
 */
import type { Document } from 'yaml';
import { usageError } from '../errors';

/** The yaml library's message for aliases past maxAliasCount. */
const EXCESSIVE_ALIASES = /^Excessive alias count/;

/** The document as plain values; `where` (a file, a `--set`) starts the message of a refused one. */
export function yamlValue(document: Document, where: string): unknown {
  try {
    return document.toJS();
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const what = EXCESSIVE_ALIASES.test(error.message)
      ? 'its aliases expand too far (nested aliases, as in a "billion laughs" document)'
      : error.message;
    throw usageError(`${where}: invalid YAML: ${what}`);
  }
}
