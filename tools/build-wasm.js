#!/usr/bin/env node
// Assembles src/backend/simd/kernels.wat into dist/src/backend/simd/kernels.wasm (run by
// `npm run build`, hence by prepare, test and bench). wabt is a devDependency: the built
// .wasm is what runs, nothing parses text at run time.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'src/backend/simd/kernels.wat');
const target = path.join(root, 'dist/src/backend/simd/kernels.wasm');

async function main() {
  const wabt = await require('wabt')();
  const module = wabt.parseWat(path.relative(root, source), fs.readFileSync(source, 'utf8'), { simd: true });
  module.validate();
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, module.toBinary({}).buffer);
  module.destroy();
  console.log(`built ${path.relative(root, target)}`);
}

main().catch((error) => {
  console.error(`build-wasm: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
