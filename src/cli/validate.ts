/** `sparse-adam validate [CONFIG]`: print the resolved config, or the first problem with it. */
import { configToYaml } from '../config/format';
import { resolveConfig } from '../config/load';

export function validateCommand(file: string | undefined, options: { set: string[] }): void {
  process.stdout.write(configToYaml(resolveConfig({ file, sets: options.set })));
}
