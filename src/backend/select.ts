/**
 * Pick the tensor backend at run time: tensorflow (tfjs-node, native) when it loads,
 * else wasm, else cpu. A forced backend that cannot start is a runtime error.
 */
import * as tf from '@tensorflow/tfjs';
import { runtimeError } from '../errors';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

export interface BackendInfo {
  name: BackendName;
  /** Versions of the packages doing the work, for run.json. */
  versions: Record<string, string>;
  /** Why faster backends were passed over (empty when the first choice ran). */
  skipped: string[];
}

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Register the backend's package; returns its version, or throws why it cannot load. */
function registerBackend(name: BackendName): string {
  if (name === 'tensorflow') {
    // Optional dependency: its install needs the internet, so it is often absent.
    const tfnode = require('@tensorflow/tfjs-node') as { version: Record<string, string> };
    return tfnode.version['tfjs-node'] ?? 'unknown';
  }
  if (name === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { version_wasm: string };
    return wasm.version_wasm;
  }
  return tf.version_core;
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find module/.test(message)) return 'not installed';
  return message.split('\n')[0] ?? message;
}

async function tryBackend(name: BackendName): Promise<string> {
  const version = registerBackend(name);
  if (!(await tf.setBackend(name))) throw new Error('failed to initialise');
  await tf.ready();
  return version;
}

export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  tf.enableProdMode(); // no debug checks, and no "install tfjs-node" banner on every run
  const candidates = choice === 'auto' ? ORDER : [choice];
  const skipped: string[] = [];
  for (const name of candidates) {
    try {
      const version = await tryBackend(name);
      return { name, versions: { tfjs: tf.version_core, [name]: version }, skipped };
    } catch (error) {
      skipped.push(`${name}: ${reason(error)}`);
    }
  }
  throw runtimeError(`backend ${choice} could not start (${skipped.join('; ')}); try --backend cpu`);
}
